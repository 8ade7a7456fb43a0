//go:build !(linux && cgo)

package main

// trimCHeap has nothing to do where the C library returns freed memory by
// itself or offers no way to ask.
func trimCHeap() {}
