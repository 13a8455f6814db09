// Package remote proves the stand-in computenetwork.dll's client mode under
// Wine: Microsoft's hcn client in a Windows process creates a network
// through the DLL, which forwards the call to an emulator served by a
// Linux process (hcnsim.Serve), and the Linux side sees the network and
// its NetworkCreate notification.
//
// Two tests, one per side, and scripts/peers-test.sh runs them:
//
//   - TestCreateNATNetwork (windows) creates the NAT network named by
//     HCNKIT_REMOTE_NETWORK with hcsshim's hcn package and prints its id;
//     it is skipped unless HCNSIM_ADDR is set.
//   - TestWindowsClientOverWire (linux) serves one emulator on loopback
//     TCP with a token file, registers a Watch over its own connection,
//     runs the Windows test binary named by HCNKIT_REMOTE_EXE under wine
//     with HCNSIM_ADDR and HCNSIM_TOKEN_FILE, then finds the network over
//     another connection and waits for its notification; it is skipped
//     unless HCNKIT_REMOTE_EXE is set.
package remote
