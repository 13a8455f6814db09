package hcn

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// versionCache holds the last successfully queried service version. A
// failed query is never cached; a failure that suggests a service restart
// drops the cached value (see Client.seen).
type versionCache struct {
	mu sync.Mutex
	v  Version
	ok bool
}

func (vc *versionCache) get() (Version, bool) {
	vc.mu.Lock()
	defer vc.mu.Unlock()
	return vc.v, vc.ok
}

func (vc *versionCache) set(v Version) {
	vc.mu.Lock()
	vc.v, vc.ok = v, true
	vc.mu.Unlock()
}

func (vc *versionCache) invalidate() {
	vc.mu.Lock()
	vc.ok = false
	vc.mu.Unlock()
}

// ServiceVersion returns the HNS service version (HNS v1 HNSCall
// `GET /globals/version`). The first success is cached; a failed query is
// not, so the next call asks again, and a transient or invalid-handle
// failure of any call (a possible service restart) drops the cached
// value. Transient failures are retried per the Client's policy.
func (c *Client) ServiceVersion(ctx context.Context) (Version, error) {
	if v, ok := c.ver.get(); ok {
		return v, nil
	}
	v, err := abandonable(ctx, func() (Version, error) {
		out, err := c.hnsGet(ctx, "/globals/version")
		if err != nil {
			return Version{}, err
		}
		v, err := ParseGlobalsVersion(out)
		if err != nil {
			return Version{}, opError("HNSCall GET /globals/version", 0, "", err)
		}
		return v, nil
	}, nil)
	if err != nil {
		return Version{}, err
	}
	c.ver.set(v)
	return v, nil
}

// hnsGet is HNS v1 `GET path` on the calling goroutine, retried on
// transient failures: the v1 envelope as the service sent it.
func (c *Client) hnsGet(ctx context.Context, path string) (string, error) {
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		s, err := c.svc.HNSCall("GET", path, "")
		if retry, err := c.retryAfter(ctx, attempt, c.seen(err), retryable); !retry {
			return s, err
		}
	}
}

// Features returns the features of the service version (see Feature).
func (c *Client) Features(ctx context.Context) (FeatureSet, error) {
	v, err := c.ServiceVersion(ctx)
	if err != nil {
		return 0, err
	}
	return FeaturesOf(v), nil
}

// Supports reports whether the service has feature f.
func (c *Client) Supports(ctx context.Context, f Feature) (bool, error) {
	fs, err := c.Features(ctx)
	if err != nil {
		return false, err
	}
	return fs.Has(f), nil
}

// RequireFeature returns nil when the service has f, and otherwise an
// *Error wrapping ErrNotSupported that names f, the version it needs and
// the service's version. When the service cannot report its version at all
// (the HNS v1 call is not supported), RequireFeature returns nil and lets
// the service itself accept or refuse what follows; any other failure to
// learn the version is returned.
func (c *Client) RequireFeature(ctx context.Context, f Feature) error {
	return c.require(ctx, "RequireFeature", f)
}

func (c *Client) require(ctx context.Context, op string, f Feature) error {
	v, err := c.ServiceVersion(ctx)
	switch {
	case errors.Is(err, ErrNotSupported):
		c.log.Debug("hcn: service version unknown; not checking feature", "feature", f.String(), "err", err)
		return nil
	case err != nil:
		return err
	case f.SupportedBy(v):
		return nil
	}
	return opError(op, 0, "", fmt.Errorf("%w: feature %s needs HNS service version %s, the service is %s",
		ErrNotSupported, f, f.requirement(), v))
}
