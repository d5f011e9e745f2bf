// Package badctype names a C type the object does not have: bad input.
package badctype

// Flow names a C type that verify.c does not declare.
//
//mapgen:ctype struct flow
type Flow struct {
	A uint32
}
