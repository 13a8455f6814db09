package hcn

import "fmt"

// HRESULT is a Windows status code as the HCN functions return it. Negative
// values (the top bit set) are failures; S_OK and S_FALSE are success.
//
// HRESULT implements error, so a failure code can be a cause in an error
// chain: errors.Is(err, hcn.HCN_E_NETWORK_NOT_FOUND) is true for any error
// that wraps that code.
type HRESULT uint32

// HRESULT values the library names. The HCN codes are Microsoft's
// (HCNHResult); the others recur in production callers.
const (
	S_OK    HRESULT = 0x00000000
	S_FALSE HRESULT = 0x00000001

	HCN_E_NETWORK_NOT_FOUND                 HRESULT = 0x803B0001
	HCN_E_ENDPOINT_NOT_FOUND                HRESULT = 0x803B0002
	HCN_E_LAYER_NOT_FOUND                   HRESULT = 0x803B0003
	HCN_E_SWITCH_NOT_FOUND                  HRESULT = 0x803B0004
	HCN_E_SUBNET_NOT_FOUND                  HRESULT = 0x803B0005
	HCN_E_ADAPTER_NOT_FOUND                 HRESULT = 0x803B0006
	HCN_E_PORT_NOT_FOUND                    HRESULT = 0x803B0007
	HCN_E_POLICY_NOT_FOUND                  HRESULT = 0x803B0008
	HCN_E_VFP_PORTSETTING_NOT_FOUND         HRESULT = 0x803B0009
	HCN_E_INVALID_NETWORK                   HRESULT = 0x803B000A
	HCN_E_INVALID_NETWORK_TYPE              HRESULT = 0x803B000B
	HCN_E_INVALID_ENDPOINT                  HRESULT = 0x803B000C
	HCN_E_INVALID_POLICY                    HRESULT = 0x803B000D
	HCN_E_INVALID_POLICY_TYPE               HRESULT = 0x803B000E
	HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION HRESULT = 0x803B000F
	HCN_E_NETWORK_ALREADY_EXISTS            HRESULT = 0x803B0010
	HCN_E_LAYER_ALREADY_EXISTS              HRESULT = 0x803B0011
	HCN_E_POLICY_ALREADY_EXISTS             HRESULT = 0x803B0012
	HCN_E_PORT_ALREADY_EXISTS               HRESULT = 0x803B0013
	HCN_E_ENDPOINT_ALREADY_ATTACHED         HRESULT = 0x803B0014
	HCN_E_REQUEST_UNSUPPORTED               HRESULT = 0x803B0015
	HCN_E_MAPPING_NOT_SUPPORTED             HRESULT = 0x803B0016
	HCN_E_DEGRADED_OPERATION                HRESULT = 0x803B0017
	HCN_E_SHARED_SWITCH_MODIFICATION        HRESULT = 0x803B0018
	HCN_E_GUID_CONVERSION_FAILURE           HRESULT = 0x803B0019
	HCN_E_REGKEY_FAILURE                    HRESULT = 0x803B001A
	HCN_E_INVALID_JSON                      HRESULT = 0x803B001B
	HCN_E_INVALID_JSON_REFERENCE            HRESULT = 0x803B001C
	HCN_E_ENDPOINT_SHARING_DISABLED         HRESULT = 0x803B001D
	HCN_E_INVALID_IP                        HRESULT = 0x803B001E
	HCN_E_SWITCH_EXTENSION_NOT_FOUND        HRESULT = 0x803B001F
	HCN_E_MANAGER_STOPPED                   HRESULT = 0x803B0020
	GCN_E_MODULE_NOT_FOUND                  HRESULT = 0x803B0021
	GCN_E_NO_REQUEST_HANDLERS               HRESULT = 0x803B0022
	GCN_E_REQUEST_UNSUPPORTED               HRESULT = 0x803B0023
	GCN_E_RUNTIMEKEYS_FAILED                HRESULT = 0x803B0024
	GCN_E_NETADAPTER_TIMEOUT                HRESULT = 0x803B0025
	GCN_E_NETADAPTER_NOT_FOUND              HRESULT = 0x803B0026
	GCN_E_NETCOMPARTMENT_NOT_FOUND          HRESULT = 0x803B0027
	GCN_E_NETINTERFACE_NOT_FOUND            HRESULT = 0x803B0028
	GCN_E_DEFAULTNAMESPACE_EXISTS           HRESULT = 0x803B0029
	HCN_E_ICS_DISABLED                      HRESULT = 0x803B002A
	HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS HRESULT = 0x803B002B
	HCN_E_ENTITY_HAS_REFERENCES             HRESULT = 0x803B002C
	HCN_E_INVALID_INTERNAL_PORT             HRESULT = 0x803B002D
	HCN_E_NAMESPACE_ATTACH_FAILED           HRESULT = 0x803B002E
	HCN_E_ADDR_INVALID_OR_RESERVED          HRESULT = 0x803B002F
	HCN_E_INVALID_PREFIX                    HRESULT = 0x803B0030
	HCN_E_OBJECT_USED_AFTER_UNLOAD          HRESULT = 0x803B0031
	HCN_E_INVALID_SUBNET                    HRESULT = 0x803B0032
	HCN_E_INVALID_IP_SUBNET                 HRESULT = 0x803B0033
	HCN_E_ENDPOINT_NOT_ATTACHED             HRESULT = 0x803B0034
	HCN_E_ENDPOINT_NOT_LOCAL                HRESULT = 0x803B0035
	HCN_INTERFACEPARAMETERS_ALREADY_APPLIED HRESULT = 0x803B0036
	HCN_E_VFP_NOT_ALLOWED                   HRESULT = 0x803B0037

	E_NOTIMPL                   HRESULT = 0x80004001
	E_FAIL                      HRESULT = 0x80004005
	E_ACCESSDENIED              HRESULT = 0x80070005
	E_HANDLE                    HRESULT = 0x80070006
	ERROR_NOT_READY             HRESULT = 0x80070015
	ERROR_WRONG_DISK            HRESULT = 0x80070022
	ERROR_NOT_SUPPORTED         HRESULT = 0x80070032
	E_INVALIDARG                HRESULT = 0x80070057
	ERROR_PROC_NOT_FOUND        HRESULT = 0x8007007F
	ERROR_MOD_NOT_FOUND         HRESULT = 0x8007007E
	ERROR_ALREADY_EXISTS        HRESULT = 0x800700B7
	ERROR_NOT_FOUND             HRESULT = 0x80070490
	RPC_S_SERVER_UNAVAILABLE    HRESULT = 0x800706BA
	RPC_S_CALL_FAILED           HRESULT = 0x800706BE
	ERROR_OBJECT_ALREADY_EXISTS HRESULT = 0x80071392
	E_OUTOFMEMORY               HRESULT = 0x8007000E
	E_POINTER                   HRESULT = 0x80004003
	E_UNEXPECTED                HRESULT = 0x8000FFFF
)

// hresultInfo is one row of the name table.
type hresultInfo struct {
	name  string
	class error // the sentinel the code maps to, or nil
	text  string
}

// hresults names every code the library knows and the sentinel class it
// belongs to. The classes are what errors.Is(err, ErrX) tests.
var hresults = map[HRESULT]hresultInfo{
	S_OK:    {"S_OK", nil, "success"},
	S_FALSE: {"S_FALSE", nil, "success (false)"},

	HCN_E_NETWORK_NOT_FOUND:                 {"HCN_E_NETWORK_NOT_FOUND", ErrNotFound, "network not found"},
	HCN_E_ENDPOINT_NOT_FOUND:                {"HCN_E_ENDPOINT_NOT_FOUND", ErrNotFound, "endpoint not found"},
	HCN_E_LAYER_NOT_FOUND:                   {"HCN_E_LAYER_NOT_FOUND", ErrNotFound, "the network's underlying layer not found"},
	HCN_E_SWITCH_NOT_FOUND:                  {"HCN_E_SWITCH_NOT_FOUND", ErrNotFound, "virtual switch not found"},
	HCN_E_SUBNET_NOT_FOUND:                  {"HCN_E_SUBNET_NOT_FOUND", ErrNotFound, "the network has no subnet for this endpoint"},
	HCN_E_ADAPTER_NOT_FOUND:                 {"HCN_E_ADAPTER_NOT_FOUND", ErrNotFound, "adapter not found"},
	HCN_E_PORT_NOT_FOUND:                    {"HCN_E_PORT_NOT_FOUND", ErrNotFound, "switch-port not found"},
	HCN_E_POLICY_NOT_FOUND:                  {"HCN_E_POLICY_NOT_FOUND", ErrNotFound, "expected policy not found"},
	HCN_E_VFP_PORTSETTING_NOT_FOUND:         {"HCN_E_VFP_PORTSETTING_NOT_FOUND", ErrNotFound, "required VFP port setting not found"},
	HCN_E_INVALID_NETWORK:                   {"HCN_E_INVALID_NETWORK", ErrInvalid, "invalid network configuration"},
	HCN_E_INVALID_NETWORK_TYPE:              {"HCN_E_INVALID_NETWORK_TYPE", ErrInvalid, "invalid network type"},
	HCN_E_INVALID_ENDPOINT:                  {"HCN_E_INVALID_ENDPOINT", ErrInvalid, "invalid endpoint configuration"},
	HCN_E_INVALID_POLICY:                    {"HCN_E_INVALID_POLICY", ErrInvalid, "invalid policy configuration"},
	HCN_E_INVALID_POLICY_TYPE:               {"HCN_E_INVALID_POLICY_TYPE", ErrInvalid, "invalid policy type"},
	HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION: {"HCN_E_INVALID_REMOTE_ENDPOINT_OPERATION", ErrInvalid, "operation not valid on a remote endpoint"},
	HCN_E_NETWORK_ALREADY_EXISTS:            {"HCN_E_NETWORK_ALREADY_EXISTS", ErrAlreadyExists, "a network with this name exists"},
	HCN_E_LAYER_ALREADY_EXISTS:              {"HCN_E_LAYER_ALREADY_EXISTS", ErrAlreadyExists, "layer already exists"},
	HCN_E_POLICY_ALREADY_EXISTS:             {"HCN_E_POLICY_ALREADY_EXISTS", ErrAlreadyExists, "policy already exists"},
	HCN_E_PORT_ALREADY_EXISTS:               {"HCN_E_PORT_ALREADY_EXISTS", ErrPortInUse, "port already exists"},
	HCN_E_ENDPOINT_ALREADY_ATTACHED:         {"HCN_E_ENDPOINT_ALREADY_ATTACHED", ErrAlreadyExists, "endpoint already attached to the switch"},
	HCN_E_REQUEST_UNSUPPORTED:               {"HCN_E_REQUEST_UNSUPPORTED", ErrNotSupported, "request unsupported"},
	HCN_E_MAPPING_NOT_SUPPORTED:             {"HCN_E_MAPPING_NOT_SUPPORTED", ErrNotSupported, "port mapping not supported on this network"},
	HCN_E_DEGRADED_OPERATION:                {"HCN_E_DEGRADED_OPERATION", nil, "operation on a degraded object"},
	HCN_E_SHARED_SWITCH_MODIFICATION:        {"HCN_E_SHARED_SWITCH_MODIFICATION", ErrAccessDenied, "cannot modify a shared switch"},
	HCN_E_GUID_CONVERSION_FAILURE:           {"HCN_E_GUID_CONVERSION_FAILURE", ErrInvalid, "GUID conversion failed"},
	HCN_E_REGKEY_FAILURE:                    {"HCN_E_REGKEY_FAILURE", nil, "registry key failure"},
	HCN_E_INVALID_JSON:                      {"HCN_E_INVALID_JSON", ErrInvalid, "invalid JSON document"},
	HCN_E_INVALID_JSON_REFERENCE:            {"HCN_E_INVALID_JSON_REFERENCE", ErrInvalid, "invalid JSON reference"},
	HCN_E_ENDPOINT_SHARING_DISABLED:         {"HCN_E_ENDPOINT_SHARING_DISABLED", ErrNotSupported, "endpoint sharing disabled"},
	HCN_E_INVALID_IP:                        {"HCN_E_INVALID_IP", ErrInvalid, "IP invalid or not in any subnet"},
	HCN_E_SWITCH_EXTENSION_NOT_FOUND:        {"HCN_E_SWITCH_EXTENSION_NOT_FOUND", ErrNotFound, "switch extension not found"},
	HCN_E_MANAGER_STOPPED:                   {"HCN_E_MANAGER_STOPPED", ErrTransient, "the service is stopping"},
	GCN_E_MODULE_NOT_FOUND:                  {"GCN_E_MODULE_NOT_FOUND", ErrNotSupported, "service module not found"},
	GCN_E_NO_REQUEST_HANDLERS:               {"GCN_E_NO_REQUEST_HANDLERS", ErrNotSupported, "no request handlers"},
	GCN_E_REQUEST_UNSUPPORTED:               {"GCN_E_REQUEST_UNSUPPORTED", ErrNotSupported, "request unsupported"},
	GCN_E_RUNTIMEKEYS_FAILED:                {"GCN_E_RUNTIMEKEYS_FAILED", nil, "adding runtime keys failed"},
	GCN_E_NETADAPTER_TIMEOUT:                {"GCN_E_NETADAPTER_TIMEOUT", ErrTransient, "adapter wait timed out"},
	GCN_E_NETADAPTER_NOT_FOUND:              {"GCN_E_NETADAPTER_NOT_FOUND", ErrNotFound, "adapter not found"},
	GCN_E_NETCOMPARTMENT_NOT_FOUND:          {"GCN_E_NETCOMPARTMENT_NOT_FOUND", ErrNotFound, "compartment not found"},
	GCN_E_NETINTERFACE_NOT_FOUND:            {"GCN_E_NETINTERFACE_NOT_FOUND", ErrNotFound, "interface not found"},
	GCN_E_DEFAULTNAMESPACE_EXISTS:           {"GCN_E_DEFAULTNAMESPACE_EXISTS", ErrAlreadyExists, "default namespace already exists"},
	HCN_E_ICS_DISABLED:                      {"HCN_E_ICS_DISABLED", ErrNotSupported, "SharedAccess (ICS) disabled"},
	HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS: {"HCN_E_ENDPOINT_NAMESPACE_ALREADY_EXISTS", ErrAlreadyExists, "endpoint already in a namespace"},
	HCN_E_ENTITY_HAS_REFERENCES:             {"HCN_E_ENTITY_HAS_REFERENCES", ErrInUse, "object still referenced"},
	HCN_E_INVALID_INTERNAL_PORT:             {"HCN_E_INVALID_INTERNAL_PORT", ErrInvalid, "internal port missing or zero"},
	HCN_E_NAMESPACE_ATTACH_FAILED:           {"HCN_E_NAMESPACE_ATTACH_FAILED", nil, "namespace attach failed"},
	HCN_E_ADDR_INVALID_OR_RESERVED:          {"HCN_E_ADDR_INVALID_OR_RESERVED", ErrAddressReserved, "address invalid or reserved"},
	HCN_E_INVALID_PREFIX:                    {"HCN_E_INVALID_PREFIX", ErrInvalid, "invalid prefix"},
	HCN_E_OBJECT_USED_AFTER_UNLOAD:          {"HCN_E_OBJECT_USED_AFTER_UNLOAD", ErrInvalidHandle, "object used after teardown"},
	HCN_E_INVALID_SUBNET:                    {"HCN_E_INVALID_SUBNET", ErrInvalid, "invalid subnet"},
	HCN_E_INVALID_IP_SUBNET:                 {"HCN_E_INVALID_IP_SUBNET", ErrInvalid, "invalid IP subnet"},
	HCN_E_ENDPOINT_NOT_ATTACHED:             {"HCN_E_ENDPOINT_NOT_ATTACHED", nil, "endpoint must be attached"},
	HCN_E_ENDPOINT_NOT_LOCAL:                {"HCN_E_ENDPOINT_NOT_LOCAL", ErrInvalid, "endpoint must be local"},
	HCN_INTERFACEPARAMETERS_ALREADY_APPLIED: {"HCN_INTERFACEPARAMETERS_ALREADY_APPLIED", ErrAlreadyExists, "only one InterfaceParameters policy"},
	HCN_E_VFP_NOT_ALLOWED:                   {"HCN_E_VFP_NOT_ALLOWED", ErrNotSupported, "VFP not available for this network type"},

	E_NOTIMPL:                   {"E_NOTIMPL", ErrNotSupported, "not implemented"},
	E_FAIL:                      {"E_FAIL", nil, "unspecified error"},
	E_ACCESSDENIED:              {"E_ACCESSDENIED", ErrAccessDenied, "access denied"},
	E_HANDLE:                    {"E_HANDLE", ErrInvalidHandle, "invalid handle"},
	ERROR_NOT_READY:             {"ERROR_NOT_READY", ErrTransient, "the device is not ready"},
	ERROR_WRONG_DISK:            {"ERROR_WRONG_DISK", nil, "incompatible object (after an update)"},
	ERROR_NOT_SUPPORTED:         {"ERROR_NOT_SUPPORTED", ErrNotSupported, "not supported"},
	E_INVALIDARG:                {"E_INVALIDARG", ErrInvalid, "the parameter is incorrect"},
	ERROR_PROC_NOT_FOUND:        {"ERROR_PROC_NOT_FOUND", ErrNotSupported, "the procedure (DLL export) was not found"},
	ERROR_MOD_NOT_FOUND:         {"ERROR_MOD_NOT_FOUND", ErrNotSupported, "the module (DLL) was not found"},
	ERROR_ALREADY_EXISTS:        {"ERROR_ALREADY_EXISTS", ErrAlreadyExists, "already exists"},
	ERROR_NOT_FOUND:             {"ERROR_NOT_FOUND", ErrNotFound, "element not found"},
	RPC_S_SERVER_UNAVAILABLE:    {"RPC_S_SERVER_UNAVAILABLE", ErrTransient, "the RPC server is unavailable"},
	RPC_S_CALL_FAILED:           {"RPC_S_CALL_FAILED", ErrTransient, "the remote procedure call failed"},
	ERROR_OBJECT_ALREADY_EXISTS: {"ERROR_OBJECT_ALREADY_EXISTS", ErrAlreadyExists, "the object already exists"},
	E_OUTOFMEMORY:               {"E_OUTOFMEMORY", nil, "out of memory"},
	E_POINTER:                   {"E_POINTER", ErrInvalid, "invalid pointer"},
	E_UNEXPECTED:                {"E_UNEXPECTED", nil, "catastrophic failure"},
}

const facilityWin32 = 7

// Failed reports whether h is a failure code (negative as an int32).
func (h HRESULT) Failed() bool { return int32(h) < 0 }

// Facility returns the facility field of h (7 is FACILITY_WIN32, 59 is HCN's).
func (h HRESULT) Facility() uint16 { return uint16(h>>16) & 0x1fff }

// Win32 returns the Win32 error code wrapped by a FACILITY_WIN32 failure
// (0x80070490 → 1168, ERROR_NOT_FOUND) and true, or 0 and false when h is not
// such a code.
func (h HRESULT) Win32() (uint32, bool) {
	if h.Failed() && h.Facility() == facilityWin32 {
		return uint32(h) & 0xffff, true
	}
	return 0, false
}

// HRESULTFromWin32 wraps a Win32 error code as a FACILITY_WIN32 HRESULT.
func HRESULTFromWin32(code uint32) HRESULT {
	if code == 0 || int32(code) < 0 {
		return HRESULT(code)
	}
	return HRESULT(code&0xffff | facilityWin32<<16 | 0x80000000)
}

// Name returns the symbolic name of h ("HCN_E_ADDR_INVALID_OR_RESERVED"), or
// "" when the library does not know the code.
func (h HRESULT) Name() string { return hresults[h].name }

// String returns the name and the hexadecimal code,
// "HCN_E_ADDR_INVALID_OR_RESERVED (0x803B002F)". An unnamed FACILITY_WIN32
// code is shown as "WIN32 ERROR 1234 (0x800704D2)", any other as "HRESULT
// 0x80041234".
func (h HRESULT) String() string {
	if info, ok := hresults[h]; ok {
		return fmt.Sprintf("%s (0x%08X)", info.name, uint32(h))
	}
	if code, ok := h.Win32(); ok {
		return fmt.Sprintf("WIN32 ERROR %d (0x%08X)", code, uint32(h))
	}
	return fmt.Sprintf("HRESULT 0x%08X", uint32(h))
}

// Error implements error with the code's name and meaning.
func (h HRESULT) Error() string {
	if info, ok := hresults[h]; ok {
		return fmt.Sprintf("%s: %s", h.String(), info.text)
	}
	return h.String()
}

// Is reports whether h belongs to the class of target, one of the
// sentinels (ErrNotFound, ErrAlreadyExists, ...), so that
// errors.Is(hcn.HCN_E_ENDPOINT_NOT_FOUND, hcn.ErrNotFound) is true.
func (h HRESULT) Is(target error) bool {
	if t, ok := target.(HRESULT); ok {
		return t == h
	}
	c := h.class()
	return c != nil && c == target
}

// class returns the sentinel h maps to, or nil.
func (h HRESULT) class() error {
	return hresults[h].class
}
