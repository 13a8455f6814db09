package hcntest

import (
	"encoding/json"

	"github.com/hcnkit/hcn"
)

// serialQuery is the default HCN query, as the Client and Microsoft's
// hcsshim send it.
const serialQuery = `{"SchemaVersion":{"Major":2,"Minor":0}}`

// SerialListEndpoints is the plain listing a Client's list is measured
// against: HcnEnumerateEndpoints, then HcnOpenEndpoint,
// HcnQueryEndpointProperties and HcnCloseEndpoint of each endpoint in
// turn (1+3N calls), each decoded, stopping at the first failure. Like
// the Client and hcsshim, it sends the default query to both the
// enumerate and the properties calls, so that the service does the same
// work for both sides of a comparison. The handle is closed on every path.
func SerialListEndpoints(svc hcn.Service) ([]*hcn.Endpoint, error) {
	out, err := svc.Enumerate(hcn.KindEndpoint, serialQuery)
	if err != nil {
		return nil, err
	}
	var ids []string
	if err := json.Unmarshal([]byte(out), &ids); err != nil {
		return nil, err
	}
	eps := make([]*hcn.Endpoint, 0, len(ids))
	for _, s := range ids {
		id, err := hcn.ParseGUID(s)
		if err != nil {
			return nil, err
		}
		h, err := svc.Open(hcn.KindEndpoint, id)
		if err != nil {
			return nil, err
		}
		props, err := svc.Query(hcn.KindEndpoint, h, serialQuery)
		svc.Close(hcn.KindEndpoint, h)
		if err != nil {
			return nil, err
		}
		var ep hcn.Endpoint
		if err := ep.UnmarshalJSON([]byte(props)); err != nil {
			return nil, err
		}
		eps = append(eps, &ep)
	}
	return eps, nil
}
