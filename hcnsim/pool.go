package hcnsim

import "container/heap"

// pool allocates offsets in [0, size) lowest-free first in O(log n):
// offsets below next are either used or waiting in the free heap; offsets
// from next up are free unless used (statically taken ahead of next).
type pool struct {
	size   uint64
	used   map[uint64]struct{}
	next   uint64
	free   offHeap
	inHeap map[uint64]struct{}
}

func newPool(size uint64) *pool {
	return &pool{size: size, used: map[uint64]struct{}{}, inHeap: map[uint64]struct{}{}}
}

// take marks o used; false when it is out of range or already used.
func (p *pool) take(o uint64) bool {
	if o >= p.size {
		return false
	}
	if _, ok := p.used[o]; ok {
		return false
	}
	p.used[o] = struct{}{}
	return true
}

// release frees o.
func (p *pool) release(o uint64) {
	if _, ok := p.used[o]; !ok {
		return
	}
	delete(p.used, o)
	if o < p.next {
		if _, ok := p.inHeap[o]; !ok {
			p.inHeap[o] = struct{}{}
			heap.Push(&p.free, o)
		}
	}
}

// alloc takes and returns the lowest free offset; false when full.
func (p *pool) alloc() (uint64, bool) {
	for p.free.Len() > 0 {
		o := heap.Pop(&p.free).(uint64)
		delete(p.inHeap, o)
		if _, ok := p.used[o]; !ok {
			p.used[o] = struct{}{}
			return o, true
		}
	}
	for p.next < p.size {
		o := p.next
		p.next++
		if _, ok := p.used[o]; !ok {
			p.used[o] = struct{}{}
			return o, true
		}
	}
	return 0, false
}

// offHeap is a min-heap of offsets.
type offHeap []uint64

func (h offHeap) Len() int           { return len(h) }
func (h offHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h offHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *offHeap) Push(x any)        { *h = append(*h, x.(uint64)) }
func (h *offHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
