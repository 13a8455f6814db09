package hcnsim

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hcnkit/hcn"
)

// killChildEnv switches the test binary into a child of TestJournalKill:
// "<state file>|<network id>|<seed>".
const killChildEnv = "HCNSIM_JOURNAL_KILL_CHILD"

// TestJournalKillChild is the body of a child process: it creates and
// deletes endpoints on the state file until it is killed, printing
// "intent <op> <id>" before each call and "ack <op> <id>" once the call
// returned success.
func TestJournalKillChild(t *testing.T) {
	spec := os.Getenv(killChildEnv)
	if spec == "" {
		t.Skip("run by TestJournalKill")
	}
	parts := strings.Split(spec, "|")
	seed, _ := strconv.ParseUint(parts[2], 10, 64)
	compactAt = func(int64) int64 { return 8 << 10 }
	s := New(&Options{StateFile: parts[0]})
	nh, err := s.Open(hcn.KindNetwork, hcn.MustParseGUID(parts[1]))
	if err != nil {
		fmt.Printf("error open %v\n", err)
		os.Exit(2)
	}
	r := rand.New(rand.NewPCG(seed, uint64(os.Getpid())))
	var mine []hcn.GUID
	for {
		if len(mine) > 0 && r.IntN(3) == 0 {
			i := r.IntN(len(mine))
			id := mine[i]
			fmt.Printf("intent delete %s\n", id)
			if err := s.Delete(hcn.KindEndpoint, id); err != nil {
				fmt.Printf("error delete %v\n", err)
				os.Exit(2)
			}
			fmt.Printf("ack delete %s\n", id)
			mine = append(mine[:i], mine[i+1:]...)
			continue
		}
		id := hcn.NewGUID()
		fmt.Printf("intent create %s\n", id)
		h, err := s.CreateEndpoint(nh, id, `{}`)
		if err != nil {
			fmt.Printf("error create %v\n", err)
			os.Exit(2)
		}
		s.Close(hcn.KindEndpoint, h)
		fmt.Printf("ack create %s\n", id)
		mine = append(mine, id)
	}
}

// TestJournalKill kills writers with SIGKILL under load: rounds of 3 to 6
// child processes mutate one state file and each is killed after a random
// number of acknowledged changes. Then every acknowledged create is
// present, every acknowledged delete absent, and no address or MAC is held
// twice.
func TestJournalKill(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGKILL")
	}
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv("HCNSIM_KILL_SEED"); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (HCNSIM_KILL_SEED)", seed)
	r := rand.New(rand.NewPCG(seed, 1))
	path := filepath.Join(t.TempDir(), "state.json")
	nid, _ := mustCreate(t, New(&Options{StateFile: path}), hcn.KindNetwork, fmt.Sprintf(netDoc, "kill"))
	present, absent := map[hcn.GUID]bool{}, map[hcn.GUID]bool{}
	inFlight := map[hcn.GUID]bool{}
	var total atomic.Int64
	for round := 0; round < 3; round++ {
		var mu sync.Mutex
		var wg sync.WaitGroup
		n := 3 + r.IntN(4)
		for c := 0; c < n; c++ {
			limit := 10 + r.IntN(60)
			cmd := exec.Command(os.Args[0], "-test.run=^TestJournalKillChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s|%s|%d", killChildEnv, path, nid, r.Uint64()))
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				sc := bufio.NewScanner(out)
				acks := 0
				for sc.Scan() {
					f := strings.Fields(sc.Text())
					if len(f) < 3 || (f[0] != "intent" && f[0] != "ack" && f[0] != "error") {
						continue
					}
					if f[0] == "error" {
						t.Errorf("child: %s", sc.Text())
						cmd.Process.Kill()
						continue
					}
					id := hcn.MustParseGUID(f[2])
					mu.Lock()
					switch f[0] + " " + f[1] {
					case "intent create":
						inFlight[id] = true
					case "ack create":
						delete(inFlight, id)
						present[id] = true
					case "intent delete":
						delete(present, id)
						inFlight[id] = true
					case "ack delete":
						delete(inFlight, id)
						absent[id] = true
					}
					mu.Unlock()
					if f[0] == "ack" {
						total.Add(1)
						acks++
						if acks == limit {
							cmd.Process.Kill() // SIGKILL
						}
					}
				}
				cmd.Wait()
				if t.Failed() {
					t.Logf("child stderr: %s", stderr.String())
				}
			}()
		}
		wg.Wait()
		s, err := Open(&Options{StateFile: path})
		if err != nil {
			t.Fatalf("round %d: open after the kills: %v", round, err)
		}
		got := endpointSet(t, s)
		for id := range present {
			if !got[id] {
				t.Errorf("round %d: acknowledged endpoint %s lost", round, id)
			}
		}
		for id := range absent {
			if got[id] {
				t.Errorf("round %d: acknowledged delete of %s undone", round, id)
			}
		}
		checkUniqueAddresses(t, s, got)
		// What was in flight when its writer died is settled now.
		for id := range inFlight {
			if got[id] {
				present[id] = true
			} else {
				absent[id] = true
			}
		}
		clear(inFlight)
		sameState(t, fmt.Sprintf("round %d", round), s, New(&Options{StateFile: path}))
	}
	t.Logf("%d acknowledged changes checked", total.Load())
}

// checkUniqueAddresses fails when two endpoints hold one IP or one MAC.
func checkUniqueAddresses(t *testing.T, s *Sim, ids map[hcn.GUID]bool) {
	t.Helper()
	ips, macs := map[string]hcn.GUID{}, map[string]hcn.GUID{}
	for id := range ids {
		h, err := s.Open(hcn.KindEndpoint, id)
		if err != nil {
			t.Fatal(err)
		}
		m := props(t, s, hcn.KindEndpoint, h)
		s.Close(hcn.KindEndpoint, h)
		ip, mac := ipOf(m), fmt.Sprint(m["MacAddress"])
		if o, ok := ips[ip]; ok {
			t.Errorf("IP %s held by %s and %s", ip, o, id)
		}
		if o, ok := macs[mac]; ok {
			t.Errorf("MAC %s held by %s and %s", mac, o, id)
		}
		ips[ip], macs[mac] = id, id
	}
}
