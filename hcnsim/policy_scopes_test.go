package hcnsim

import (
	"slices"
	"strings"
	"testing"

	"github.com/hcnkit/hcn"
)

// scopeNames are the words policyScopes uses for the library's scopes.
var scopeNames = map[string]hcn.PolicyScope{
	"network":  hcn.PolicyScopeNetwork,
	"endpoint": hcn.PolicyScopeEndpoint,
	"subnet":   hcn.PolicyScopeSubnet,
}

// TestPolicyScopesMatchLibrary holds the library's policy registry to the
// emulator's record: the same type names, spelled the same, with the same
// scopes.
func TestPolicyScopesMatchLibrary(t *testing.T) {
	known := hcn.KnownPolicyTypes()
	for _, pt := range known {
		words, ok := policyScopes[string(pt)]
		if !ok {
			t.Errorf("the library models %s; the emulator does not know it", pt)
			continue
		}
		var want hcn.PolicyScope
		for _, w := range words {
			want |= scopeNames[w]
		}
		if info, _ := pt.Info(); info.Scope != want || info.Type != pt {
			t.Errorf("%s: the library says %s (%s), the emulator %s", pt, info.Scope, info.Type, strings.Join(words, ", "))
		}
	}
	for name, words := range policyScopes {
		if !slices.Contains(known, hcn.PolicyType(name)) {
			t.Errorf("the emulator knows %s (%s); the library does not model it", name, strings.Join(words, ", "))
		}
		for _, w := range words {
			if scopeNames[w] == 0 {
				t.Errorf("%s: unknown scope %q", name, w)
			}
		}
	}
}

// TestPolicyListsFollowScopes compares the lists the emulator accepts
// policies by with policyScopes. They differ in a few places, pinned here:
// the endpoint list also takes NetworkACL and NetworkL4Proxy (an early list
// of endpoint types named them; neither Microsoft's hcn package nor the
// schema does), and the network list lacks NetworkL4Proxy (hcn spells the
// network L4 proxy L4Proxy). A change to either side shows up here.
func TestPolicyListsFollowScopes(t *testing.T) {
	quirks := map[string]struct{ extra, missing []string }{
		"network":  {missing: []string{"NetworkL4Proxy"}},
		"endpoint": {extra: []string{"NetworkACL", "NetworkL4Proxy"}},
	}
	lists := map[string][]string{"network": networkPolicyTypes, "endpoint": endpointPolicyTypes, "subnet": subnetPolicyTypes}
	for scope, list := range lists {
		var want []string
		for name, words := range policyScopes {
			if slices.Contains(words, scope) && !slices.Contains(quirks[scope].missing, name) {
				want = append(want, name)
			}
		}
		want = append(want, quirks[scope].extra...)
		got := slices.Clone(list)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s policy types the emulator accepts:\n got %v\nwant %v", scope, got, want)
		}
	}
}
