package templates

// Flags of map definitions (the kernel's BPF_F_* map_flags), for the
// Flags of an ebpf.MapSpec and to test those of a map, map.Flags(): mapgen
// writes them by name, never as numbers. cilium/ebpf and the standard
// library do not name them on every GOOS.
const (
	MapFlagNoPrealloc    = 1 << 0  // BPF_F_NO_PREALLOC
	MapFlagNoCommonLRU   = 1 << 1  // BPF_F_NO_COMMON_LRU
	MapFlagNUMANode      = 1 << 2  // BPF_F_NUMA_NODE
	MapFlagRdonly        = 1 << 3  // BPF_F_RDONLY
	MapFlagWronly        = 1 << 4  // BPF_F_WRONLY
	MapFlagStackBuildID  = 1 << 5  // BPF_F_STACK_BUILD_ID
	MapFlagZeroSeed      = 1 << 6  // BPF_F_ZERO_SEED
	MapFlagRdonlyProg    = 1 << 7  // BPF_F_RDONLY_PROG
	MapFlagWronlyProg    = 1 << 8  // BPF_F_WRONLY_PROG
	MapFlagClone         = 1 << 9  // BPF_F_CLONE
	MapFlagMmapable      = 1 << 10 // BPF_F_MMAPABLE
	MapFlagPreserveElems = 1 << 11 // BPF_F_PRESERVE_ELEMS
	MapFlagInnerMap      = 1 << 12 // BPF_F_INNER_MAP
	MapFlagLink          = 1 << 13 // BPF_F_LINK
	MapFlagPathFD        = 1 << 14 // BPF_F_PATH_FD
	MapFlagVtypeBTFObjFD = 1 << 15 // BPF_F_VTYPE_BTF_OBJ_FD
	MapFlagTokenFD       = 1 << 16 // BPF_F_TOKEN_FD
	MapFlagSegvOnFault   = 1 << 17 // BPF_F_SEGV_ON_FAULT
	MapFlagNoUserConv    = 1 << 18 // BPF_F_NO_USER_CONV
)
