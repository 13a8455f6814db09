package hcntest_test

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
	"github.com/hcnkit/hcn/hcnsim"
	"github.com/hcnkit/hcn/hcntest"
)

// leaky forgets to close endpoint handles but still counts them.
type leaky struct{ *hcnsim.Sim }

func (l leaky) Close(k hcn.Kind, h hcn.Handle) error {
	if k == hcn.KindEndpoint {
		return nil
	}
	return l.Sim.Close(k, h)
}

// wrongCode reports LB collisions as E_FAIL.
type wrongCode struct{ *hcnsim.Sim }

func (w wrongCode) Create(k hcn.Kind, id hcn.GUID, settings string) (hcn.Handle, error) {
	h, err := w.Sim.Create(k, id, settings)
	if errors.Is(err, hcn.HCN_E_PORT_ALREADY_EXISTS) {
		return 0, hcn.NewError(hcn.OpCreateLoadBalancer, k, "", hcn.E_FAIL, "")
	}
	return h, err
}

// TestBrokenService is the body the self-test runs in a child process.
func TestBrokenService(t *testing.T) {
	mode := os.Getenv("HCNTEST_BROKEN")
	if mode == "" {
		t.Skip("run by TestSuiteCatchesBrokenServices")
	}
	hcntest.Run(t, func(t *testing.T) hcn.Service {
		if mode == "leak" {
			return leaky{hcnsim.New(nil)}
		}
		return wrongCode{hcnsim.New(nil)}
	}, nil)
}

// TestSuiteCatchesBrokenServices checks that the suite fails a service
// that leaks handles and one that gives a wrong HRESULT.
func TestSuiteCatchesBrokenServices(t *testing.T) {
	expectSuiteFailures(t, "TestBrokenService", "HCNTEST_BROKEN", []brokenCase{
		{"leak", "endpoint/lifecycle", "handle leak"},
		{"code", "loadbalancer/port-collision", "HCN_E_PORT_ALREADY_EXISTS"},
	})
}

// brokenCase is one self-test run: a broken service mode, the scenario it
// must fail, and a text the failure output must contain.
type brokenCase struct{ mode, scenario, want string }

// expectSuiteFailures re-runs this test binary's test named body in a child
// process, once per case, with env set to the case's mode, and checks that
// the scenario fails saying want.
func expectSuiteFailures(t *testing.T, body, env string, cases []brokenCase) {
	t.Helper()
	for _, c := range cases {
		cmd := exec.Command(os.Args[0], "-test.run", "^"+body+"$/^"+c.scenario+"$", "-test.count=1")
		cmd.Env = append(os.Environ(), env+"="+c.mode)
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), c.want) {
			t.Errorf("%s %s: the suite did not fail with %q:\n%s", c.mode, c.scenario, c.want, out)
		}
	}
}

func TestScenarioNames(t *testing.T) {
	names := hcntest.Scenarios()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("scenario %q twice", n)
		}
		seen[n] = true
	}
	if len(names) < 40 {
		t.Errorf("only %d scenarios", len(names))
	}
}

// TestSkipEmulatorChoices runs the suite as on a real host: without the
// scenarios that pin emulator choices and without control interfaces.
func TestSkipEmulatorChoices(t *testing.T) {
	type plain struct{ hcn.Service }
	hcntest.Run(t, func(t *testing.T) hcn.Service { return plain{hcnsim.New(nil)} },
		&hcntest.Options{SkipEmulatorChoices: true, NamePrefix: "real"})
}
