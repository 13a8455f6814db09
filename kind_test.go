package hcn

import "testing"

// TestOpConstants checks the exported operation names against OpName, so the
// two spellings of a family operation can never drift apart.
func TestOpConstants(t *testing.T) {
	want := map[Kind][7]string{
		KindNetwork:             {OpEnumerateNetworks, OpCreateNetwork, OpOpenNetwork, OpModifyNetwork, OpQueryNetwork, OpDeleteNetwork, OpCloseNetwork},
		KindEndpoint:            {OpEnumerateEndpoints, OpCreateEndpoint, OpOpenEndpoint, OpModifyEndpoint, OpQueryEndpoint, OpDeleteEndpoint, OpCloseEndpoint},
		KindNamespace:           {OpEnumerateNamespaces, OpCreateNamespace, OpOpenNamespace, OpModifyNamespace, OpQueryNamespace, OpDeleteNamespace, OpCloseNamespace},
		KindLoadBalancer:        {OpEnumerateLoadBalancers, OpCreateLoadBalancer, OpOpenLoadBalancer, OpModifyLoadBalancer, OpQueryLoadBalancer, OpDeleteLoadBalancer, OpCloseLoadBalancer},
		KindSDNRoute:            {OpEnumerateSDNRoutes, OpCreateSDNRoute, OpOpenSDNRoute, OpModifySDNRoute, OpQuerySDNRoute, OpDeleteSDNRoute, OpCloseSDNRoute},
		KindGuestNetworkService: {OpEnumerateGuestNetworkServices, OpCreateGuestNetworkService, OpOpenGuestNetworkService, OpModifyGuestNetworkService, OpQueryGuestNetworkService, OpDeleteGuestNetworkService, OpCloseGuestNetworkService},
	}
	verbs := [7]string{VerbEnumerate, VerbCreate, VerbOpen, VerbModify, VerbQuery, VerbDelete, VerbClose}
	for _, k := range Kinds {
		for i, v := range verbs {
			if got := OpName(v, k); got != want[k][i] {
				t.Errorf("OpName(%s, %v) = %q, the constant is %q", v, k, got, want[k][i])
			}
		}
	}
}
