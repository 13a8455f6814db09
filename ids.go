package hcn

// Documents keep their ids as the text the service sent (so a document
// round-trips exactly); these accessors parse them for the Client's
// id-taking methods. Each returns an error wrapping ErrInvalid that names
// the field when the id is not a GUID, and NilGUID for an empty id.

// GUID parses the network's ID.
func (n *Network) GUID() (GUID, error) { return parseIDField("ID", n.ID) }

// GUID parses the endpoint's ID.
func (e *Endpoint) GUID() (GUID, error) { return parseIDField("ID", e.ID) }

// NetworkGUID parses the endpoint's HostComputeNetwork.
func (e *Endpoint) NetworkGUID() (GUID, error) {
	return parseIDField("HostComputeNetwork", e.HostComputeNetwork)
}

// NamespaceGUID parses the endpoint's HostComputeNamespace (NilGUID when
// the endpoint is in no namespace).
func (e *Endpoint) NamespaceGUID() (GUID, error) {
	return parseIDField("HostComputeNamespace", e.HostComputeNamespace)
}

// GUID parses the namespace's ID.
func (n *Namespace) GUID() (GUID, error) { return parseIDField("ID", n.ID) }

// GUID parses the load balancer's ID.
func (lb *LoadBalancer) GUID() (GUID, error) { return parseIDField("ID", lb.ID) }

// GUID parses the route's ID.
func (r *SDNRoute) GUID() (GUID, error) { return parseIDField("ID", r.ID) }

// GUID parses the guest network service's ID.
func (g *GuestNetworkService) GUID() (GUID, error) { return parseIDField("ID", g.ID) }

func parseIDField(field, s string) (GUID, error) {
	if s == "" {
		return NilGUID, nil
	}
	g, err := ParseGUID(s)
	if err != nil {
		return NilGUID, &ValidationError{Path: field, Value: s, Reason: "not a GUID"}
	}
	return g, nil
}
