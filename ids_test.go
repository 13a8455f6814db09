package hcn

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestID(t *testing.T) {
	const text = "{5F0B1190-63BE-4E0C-B974-BD0F55675A42}"
	want := MustParseGUID(text)
	id := ID(text)
	if g, err := id.GUID(); err != nil || g != want {
		t.Errorf("GUID: %v, %v", g, err)
	}
	if id.Canonical() != want.ID() || want.ID() != "5f0b1190-63be-4e0c-b974-bd0f55675a42" {
		t.Errorf("Canonical %q, GUID.ID %q", id.Canonical(), want.ID())
	}
	if !id.Equal(want.ID()) || id.Equal(NewGUID().ID()) || !ID("x").Equal("x") || ID("x").Equal("X") {
		t.Error("Equal")
	}
	for _, z := range []ID{"", NilGUID.ID(), ID(NilGUID.String()), "{00000000-0000-0000-0000-000000000000}"} {
		if !z.IsZero() {
			t.Errorf("%q: IsZero false", z)
		}
	}
	if id.IsZero() || ID("test-ns-id").IsZero() {
		t.Error("IsZero true for a named id")
	}
	_, err := ID("test-ns-id").GUID()
	var ve *ValidationError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Value != "test-ns-id" {
		t.Errorf("bad id: %v", err)
	}
}

// TestIDArguments checks that every id argument is checked before any call,
// with an error naming it: empty, the nil GUID and text that is not a GUID.
func TestIDArguments(t *testing.T) {
	ctx := context.Background()
	f := newFake()
	c, err := NewClient(&ClientOptions{Service: f})
	if err != nil {
		t.Fatal(err)
	}
	good := NewGUID().ID()
	calls := map[string]func(ID) error{
		"GetNetwork":   func(id ID) error { _, err := c.GetNetwork(ctx, id); return err },
		"OpenEndpoint": func(id ID) error { _, err := c.OpenEndpoint(ctx, id); return err },
		"DeleteNamespace": func(id ID) error {
			return c.DeleteNamespace(ctx, id, &DeleteOptions{IgnoreNotFound: true})
		},
		"ModifyNetwork": func(id ID) error { return c.UpdateNetworkDNS(ctx, id, DNS{}) },
		"EndpointStats": func(id ID) error { _, err := c.EndpointStats(ctx, id); return err },
		"AddLoadBalancerEndpoints": func(id ID) error {
			_, err := c.AddLoadBalancerEndpoints(ctx, id, good)
			return err
		},
		"AddLoadBalancerEndpoints/endpoints": func(id ID) error {
			_, err := c.AddLoadBalancerEndpoints(ctx, good, good, id)
			return err
		},
		"UpdateSDNRoute":                 func(id ID) error { _, err := c.UpdateSDNRoute(ctx, id, &SDNRoute{}); return err },
		"AddNamespaceEndpoint/namespace": func(id ID) error { return c.AddNamespaceEndpoint(ctx, id, good) },
		"AddNamespaceEndpoint/endpoint":  func(id ID) error { return c.AddNamespaceEndpoint(ctx, good, id) },
	}
	paths := map[string]string{
		"AddLoadBalancerEndpoints/endpoints": "endpoints[1]",
		"AddNamespaceEndpoint/namespace":     "namespace",
		"AddNamespaceEndpoint/endpoint":      "endpoint",
	}
	for name, call := range calls {
		for _, bad := range []ID{"", ID(NilGUID.String()), "not-a-guid"} {
			before := f.totalCalls()
			err := call(bad)
			var ve *ValidationError
			want := paths[name]
			if want == "" {
				want = "id"
			}
			if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || ve.Path != want {
				t.Errorf("%s(%q): %v, want ErrInvalid naming %s", name, bad, err, want)
			}
			if f.totalCalls() != before {
				t.Errorf("%s(%q): made a service call", name, bad)
			}
		}
	}
	for _, opts := range []*ListOptions{{Network: "x"}, {Namespace: "{nope}"}} {
		before := f.totalCalls()
		_, err := c.ListEndpoints(ctx, opts)
		var ve *ValidationError
		if !errors.Is(err, ErrInvalid) || !errors.As(err, &ve) || !strings.HasPrefix(ve.Path, "ListOptions.") {
			t.Errorf("ListEndpoints(%+v): %v, want ErrInvalid naming the option", opts, err)
		}
		if f.totalCalls() != before {
			t.Errorf("ListEndpoints(%+v): made a service call", opts)
		}
	}
}
