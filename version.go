package hcn

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Version is the HNS service version that HNS v1 `GET /globals/version`
// reports (e.g. 15.4); feature support is keyed on it. It is comparable
// with == and ordered by Compare. It is not the document SchemaVersion.
type Version struct {
	// Major is the major version (15 in 15.4).
	Major uint32 `json:"Major"`
	// Minor is the minor version (4 in 15.4).
	Minor uint32 `json:"Minor"`
}

// String returns "Major.Minor".
func (v Version) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than o.
func (v Version) Compare(o Version) int {
	switch {
	case v.Major != o.Major:
		return cmpU32(v.Major, o.Major)
	default:
		return cmpU32(v.Minor, o.Minor)
	}
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// AtLeast reports whether v is o or newer.
func (v Version) AtLeast(o Version) bool { return v.Compare(o) >= 0 }

// IsZero reports whether v is 0.0 (unknown).
func (v Version) IsZero() bool { return v == Version{} }

// ParseVersion parses "Major.Minor" ("15.4"); a lone "Major" means
// Major.0.
func ParseVersion(s string) (Version, error) {
	major, minor, hasMinor := strings.Cut(strings.TrimSpace(s), ".")
	maj, err := strconv.ParseUint(major, 10, 32)
	if err != nil {
		return Version{}, fmt.Errorf("hcn: %w: version %q: major: want a decimal number", ErrInvalid, s)
	}
	var mnr uint64
	if hasMinor {
		if mnr, err = strconv.ParseUint(minor, 10, 32); err != nil {
			return Version{}, fmt.Errorf("hcn: %w: version %q: minor: want a decimal number", ErrInvalid, s)
		}
	}
	return Version{Major: uint32(maj), Minor: uint32(mnr)}, nil
}

// MustParseVersion is ParseVersion that panics on error, for constants.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// ParseGlobalsVersion parses the answer of HNS v1 `GET /globals/version`:
// the envelope {"Success":true,"Output":{"Major":N,"Minor":M}} or a bare
// {"Major":N,"Minor":M}. A failure envelope gives an error carrying its
// message.
func ParseGlobalsVersion(s string) (Version, error) {
	var env struct {
		Success *bool           `json:"Success"`
		Error   string          `json:"Error"`
		Output  json.RawMessage `json:"Output"`
		Major   *uint32         `json:"Major"`
		Minor   *uint32         `json:"Minor"`
	}
	if err := json.Unmarshal([]byte(s), &env); err != nil {
		return Version{}, fmt.Errorf("hcn: %w: /globals/version answer is not a JSON object: %v", ErrInvalid, err)
	}
	if env.Success != nil && !*env.Success {
		return Version{}, fmt.Errorf("hcn: /globals/version failed: %s", strings.TrimSpace(env.Error))
	}
	if env.Major != nil {
		v := Version{Major: *env.Major}
		if env.Minor != nil {
			v.Minor = *env.Minor
		}
		return v, nil
	}
	if len(env.Output) == 0 || string(env.Output) == "null" {
		return Version{}, fmt.Errorf("hcn: %w: /globals/version answer has no Output", ErrInvalid)
	}
	var v struct {
		Major *uint32 `json:"Major"`
		Minor uint32  `json:"Minor"`
	}
	if err := json.Unmarshal(env.Output, &v); err != nil || v.Major == nil {
		return Version{}, fmt.Errorf("hcn: %w: /globals/version Output: want {\"Major\":N,\"Minor\":M}, got %.80s", ErrInvalid, env.Output)
	}
	return Version{Major: *v.Major, Minor: v.Minor}, nil
}
