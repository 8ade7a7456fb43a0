//go:build linux && cgo

package main

// #include <malloc.h>
import "C"

// trimCHeap hands the free pages of the C heap back to the system: the GL
// driver and the font rasteriser allocate there while the window builds,
// and glibc keeps what they free.
func trimCHeap() { C.malloc_trim(0) }
