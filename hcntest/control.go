package hcntest

import (
	"errors"

	"github.com/hcnkit/hcn"
)

var controlScenarios = []scenario{
	{name: "control/restart", fn: controlRestart},
	{name: "control/fault-injection", fn: controlFault},
}

func controlRestart(e *env) {
	rs, ok := e.svc.(Restarter)
	if !ok {
		e.t.Skip("the service cannot be restarted")
	}
	r := newRecorder()
	e.register(r)
	keepID, keepH, _ := e.network("NAT")
	p := e.subnet()
	tmpID, _ := e.create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), "NAT", p, `,"Flags":8`))
	e.ok(rs.Restart(), "restart")
	_, err := e.svc.Query(hcn.KindNetwork, keepH, "")
	e.wantHR(err, hcn.E_HANDLE, "a handle from before the restart")
	ids := e.enumerate(hcn.KindNetwork, "")
	if !has(ids, keepID) {
		e.t.Errorf("a persistent network vanished on restart")
	}
	if has(ids, tmpID) {
		e.t.Errorf("a non-persistent network survived the restart")
	}
	e.wait(r, hcn.NotificationServiceDisconnect, hcn.NilGUID)
}

func controlFault(e *env) {
	fi, ok := e.svc.(FaultInjector)
	if !ok {
		e.t.Skip("the service cannot inject faults")
	}
	op := hcn.OpName(hcn.VerbCreate, hcn.KindNetwork)
	fi.InjectFault(op, 2, hcn.RPC_S_SERVER_UNAVAILABLE)
	e.network("NAT")
	h, err := e.svc.Create(hcn.KindNetwork, hcn.NilGUID, staticNet(e.name("net"), "NAT", e.subnet(), ""))
	if err == nil {
		e.adopt(hcn.KindNetwork, h)
	}
	e.wantHR(err, hcn.RPC_S_SERVER_UNAVAILABLE, "injected fault")
	var he *hcn.Error
	if !errors.As(err, &he) || !he.Temporary() || errors.Is(err, hcn.ErrNotFound) {
		e.t.Errorf("an injected RPC failure is not transient-only: %v", err)
	}
	e.network("NAT")
}
