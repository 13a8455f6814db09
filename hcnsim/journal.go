package hcnsim

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hcnkit/hcn"
)

// The state file is a snapshot (at Options.StateFile, JSON, see
// snapshot) plus an append-only journal of the writes since
// (StateFile+".journal"). The journal starts with a header naming the
// state file's lineage (a GUID chosen when the file is created), the
// snapshot generation it extends and the number of its first record; then
// come frames: the payload length (uint32, little-endian), the CRC-32C of
// that length and the payload, and the payload, a journalRecord in JSON.
// The package documentation (Persistence) describes the procedures.

const (
	journalMagic      = "hcnsimJ1"
	journalHeaderSize = 44 // magic, lineage, generation, first record, CRC-32C
	frameHeaderSize   = 8
	maxRecordSize     = 1 << 30
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var (
	// compactAt is the journal length past which a writer compacts: 1 MiB
	// or the snapshot's length, whichever is more, so that the snapshot
	// written costs no more than the records written since the last.
	compactAt = func(snapSize int64) int64 { return max(1<<20, snapSize) }
	// journalSync is false only in benchmarks measuring the cost of the
	// emulator without the disk's.
	journalSync = true
	// testHookBeforeSync, when set, runs after a record is written and
	// before it is synced; an error fails the append as a crash would.
	testHookBeforeSync func(journal string) error
	// testHookBeforeRename, when set, runs after a snapshot or journal is
	// written to its temporary file and synced, before it replaces the
	// old one; an error aborts the replacement as a crash would.
	testHookBeforeRename func(tmp string) error
)

// position is how far a Sim's state has read the state file: the lineage
// and generation of the snapshot, the journal offset after the last record
// applied and that record's number. Writers advance it under the lock;
// it never depends on file identity, size or times.
type position struct {
	lineage hcn.GUID
	gen     uint64
	off     int64
	rec     uint64
}

// store is a Sim's access to its state file.
type store struct {
	path     string
	journal  string
	timeout  time.Duration
	sem      chan struct{} // the Sim's calls, one at a time
	pos      position
	synced   bool           // the Sim's state is the file's at pos
	snapSize int64          // length of the snapshot at pos.gen
	swept    bool           // orphaned temporary files were looked for
	jf       *os.File       // the journal, open while the lock is held
	lockf    *os.File       // "<file>.lock", kept open for the advisory lock
	waiters  [2]*lockWaiter // blocked waits for it, shared and exclusive
}

func newStore(path string, timeout time.Duration) *store {
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	return &store{path: path, journal: path + ".journal", timeout: timeout, sem: make(chan struct{}, 1)}
}

// invalidate makes the next call rebuild the state from the file.
func (d *store) invalidate() { d.synced = false }

func (d *store) closeJournal() {
	if d.jf != nil {
		d.jf.Close()
		d.jf = nil
	}
}

func (d *store) failf(format string, args ...any) error {
	return fail(hcn.E_FAIL, "state file %s: %s", filepath.Base(d.path), fmt.Sprintf(format, args...))
}

// journalHeader is the first journalHeaderSize bytes of the journal.
type journalHeader struct {
	lineage hcn.GUID
	gen     uint64
	first   uint64 // number of the first record
}

func (h journalHeader) encode() []byte {
	b := make([]byte, journalHeaderSize)
	copy(b, journalMagic)
	l := h.lineage.Bytes()
	copy(b[8:], l[:])
	binary.LittleEndian.PutUint64(b[24:], h.gen)
	binary.LittleEndian.PutUint64(b[32:], h.first)
	binary.LittleEndian.PutUint32(b[40:], crc32.Checksum(b[:40], castagnoli))
	return b
}

func decodeJournalHeader(b []byte) (journalHeader, error) {
	if len(b) < journalHeaderSize || string(b[:8]) != journalMagic ||
		binary.LittleEndian.Uint32(b[40:]) != crc32.Checksum(b[:40], castagnoli) {
		return journalHeader{}, errors.New("journal header damaged")
	}
	var l [16]byte
	copy(l[:], b[8:24])
	h := journalHeader{lineage: hcn.GUIDFromBytes(l), gen: binary.LittleEndian.Uint64(b[24:]),
		first: binary.LittleEndian.Uint64(b[32:])}
	if h.lineage.IsZero() || h.gen == 0 || h.first == 0 {
		return journalHeader{}, errors.New("journal header damaged")
	}
	return h, nil
}

// encodeRecordFrame frames a journal record payload.
func encodeRecordFrame(payload []byte) []byte {
	f := make([]byte, frameHeaderSize+len(payload))
	binary.LittleEndian.PutUint32(f, uint32(len(payload)))
	copy(f[frameHeaderSize:], payload)
	binary.LittleEndian.PutUint32(f[4:], frameSum(f[:4], payload))
	return f
}

func frameSum(length, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(length, castagnoli), castagnoli, payload)
}

// nextFrame returns the payload of the frame b starts with and the frame's
// length; ok is false unless b starts with a whole frame whose checksum
// holds.
func nextFrame(b []byte) (payload []byte, n int, ok bool) {
	if len(b) < frameHeaderSize {
		return nil, 0, false
	}
	l := binary.LittleEndian.Uint32(b)
	if l == 0 || l > maxRecordSize || uint64(len(b)-frameHeaderSize) < uint64(l) {
		return nil, 0, false
	}
	p := b[frameHeaderSize : frameHeaderSize+int(l)]
	if frameSum(b[:4], p) != binary.LittleEndian.Uint32(b[4:]) {
		return nil, 0, false
	}
	return p, frameHeaderSize + int(l), true
}

// tornTail reports whether b, from the first frame that is not whole and
// intact to the end of the journal, is what an interrupted append leaves:
// no intact frame starts anywhere in it. Anything else is damage to
// records already acknowledged.
func tornTail(b []byte) bool {
	for i := 1; i+frameHeaderSize < len(b); i++ {
		if _, _, ok := nextFrame(b[i:]); ok {
			return false
		}
	}
	return true
}

// openJournal opens the journal (read-write for a writer) and reads its
// header; a missing journal is nil with no error.
func (d *store) openJournal(excl bool) (*journalHeader, error) {
	d.closeJournal()
	flag := os.O_RDONLY
	if excl {
		flag = os.O_RDWR
	}
	f, err := os.OpenFile(d.journal, flag, 0)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	d.jf = f
	b := make([]byte, journalHeaderSize)
	if _, err := io.ReadFull(f, b); err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, err
	}
	h, err := decodeJournalHeader(b)
	if err != nil {
		return nil, err
	}
	return &h, nil
}

// replay applies the journal's records after d.pos to st and returns the
// state that results, advancing d.pos. A torn final record (an append
// interrupted by a crash, never acknowledged) ends the journal; a writer
// (excl) cuts it off.
func (d *store) replay(st *state, excl bool) (*state, error) {
	fi, err := d.jf.Stat()
	if err != nil {
		return st, err
	}
	size := fi.Size()
	if size < d.pos.off {
		return st, fmt.Errorf("journal holds %d bytes, %d were read", size, d.pos.off)
	}
	if size == d.pos.off {
		return st, nil
	}
	buf := make([]byte, size-d.pos.off)
	if _, err := d.jf.ReadAt(buf, d.pos.off); err != nil {
		return st, err
	}
	for at := 0; at < len(buf); {
		payload, n, ok := nextFrame(buf[at:])
		if !ok {
			if !tornTail(buf[at:]) {
				return st, fmt.Errorf("journal damaged at offset %d", d.pos.off)
			}
			if excl {
				if err := d.jf.Truncate(d.pos.off); err != nil {
					return st, err
				}
			}
			return st, nil
		}
		var rec journalRecord
		if err := json.Unmarshal(payload, &rec); err != nil {
			return st, fmt.Errorf("journal record at offset %d: %v", d.pos.off, err)
		}
		if rec.Record != d.pos.rec+1 {
			return st, fmt.Errorf("journal record %d at offset %d, want %d", rec.Record, d.pos.off, d.pos.rec+1)
		}
		if st, err = st.apply(&rec); err != nil {
			return st, fmt.Errorf("journal record %d: %v", rec.Record, err)
		}
		at += n
		d.pos.off += int64(n)
		d.pos.rec = rec.Record
	}
	return st, nil
}

// reloadLocked brings the Sim's state up to the file's, under the lock:
// only the records appended since its position when the snapshot is the
// one it read, else the snapshot and the whole journal. A writer (excl)
// also cuts off a torn record, creates the files of a new state file,
// replaces a journal a compaction left behind, and compacts a long one.
func (s *Sim) reloadLocked(excl bool) error {
	d := s.store
	if excl && !d.swept {
		d.sweep()
		d.swept = true
	}
	if err := s.catchUpLocked(excl); err != nil {
		d.invalidate()
		return err
	}
	if excl && d.pos.off > compactAt(d.snapSize) {
		if err := s.compactLocked(); err != nil {
			d.invalidate()
			return err
		}
	}
	return nil
}

func (s *Sim) catchUpLocked(excl bool) error {
	d := s.store
	hdr, err := d.openJournal(excl)
	if err != nil {
		return d.failf("journal: %v", err)
	}
	if d.synced && hdr != nil && hdr.lineage == d.pos.lineage && hdr.gen == d.pos.gen {
		st, err := d.replay(s.st, excl)
		s.st = st
		if err == nil {
			return nil
		}
		// Whatever went wrong, the full procedure decides.
	}
	return s.loadAll(excl, hdr)
}

// loadAll rebuilds the state from the snapshot and the whole journal.
func (s *Sim) loadAll(excl bool, hdr *journalHeader) error {
	d := s.store
	d.synced = false
	snap, st, size, err := readSnapshot(d.path)
	if err != nil {
		return d.failf("%v", err)
	}
	if snap == nil {
		if hdr != nil {
			return d.failf("the snapshot is missing but %s exists", filepath.Base(d.journal))
		}
		s.st, d.pos, d.snapSize, d.synced = newState(), position{}, 0, true
		if excl {
			return s.compactLocked()
		}
		return nil
	}
	d.pos = position{lineage: snap.Lineage, gen: snap.Generation, off: journalHeaderSize, rec: snap.Record}
	d.snapSize = size
	legacy := snap.Format == snapshotFormatLegacy
	switch {
	case legacy || hdr == nil:
	case hdr.lineage != snap.Lineage || hdr.gen > snap.Generation:
		return d.failf("%s does not belong to the snapshot", filepath.Base(d.journal))
	case hdr.gen == snap.Generation:
		if hdr.first != snap.Record+1 {
			return d.failf("journal starts at record %d, the snapshot ends at %d", hdr.first, snap.Record)
		}
		if st, err = d.replay(st, excl); err != nil {
			return d.failf("%v", err)
		}
	}
	// Otherwise the journal is missing or one a compaction replaced before
	// it was interrupted: the snapshot holds everything.
	s.st, d.synced = st, true
	switch {
	case !excl:
		return nil
	case legacy:
		return s.compactLocked()
	case hdr == nil || hdr.gen != snap.Generation:
		return d.newJournal()
	}
	return nil
}

// append writes one record at the end of the journal and syncs it; only
// then is the write acknowledged. A failed append is cut off again, so
// that no reader applies a change reported as failed, and the Sim
// rebuilds its state from the file on its next call.
func (d *store) append(rec *journalRecord) error {
	rec.Record = d.pos.rec + 1
	payload, err := json.Marshal(rec)
	if err != nil {
		return d.failf("%v", err)
	}
	if len(payload) > maxRecordSize {
		return d.failf("a record of %d bytes", len(payload))
	}
	frame := encodeRecordFrame(payload)
	_, err = d.jf.WriteAt(frame, d.pos.off)
	if err == nil && testHookBeforeSync != nil {
		err = testHookBeforeSync(d.journal)
	}
	if err == nil && journalSync {
		err = d.jf.Sync()
	}
	if err != nil {
		d.jf.Truncate(d.pos.off)
		d.invalidate()
		return d.failf("journal: %v", err)
	}
	d.pos.off += int64(len(frame))
	d.pos.rec = rec.Record
	return nil
}

// compactLocked writes the state as the snapshot of the next generation
// and starts its empty journal; it creates the files of a new state file.
func (s *Sim) compactLocked() error {
	d := s.store
	d.sweep()
	snap := encodeSnapshot(s.st)
	if d.pos.lineage.IsZero() {
		d.pos.lineage = hcn.NewGUID()
	}
	snap.Lineage, snap.Generation, snap.Record = d.pos.lineage, d.pos.gen+1, d.pos.rec
	data, err := json.Marshal(snap)
	if err != nil {
		return d.failf("%v", err)
	}
	if err := d.replaceFile(d.path, data); err != nil {
		return d.failf("%v", err)
	}
	d.pos = position{lineage: snap.Lineage, gen: snap.Generation, off: journalHeaderSize, rec: snap.Record}
	d.snapSize = int64(len(data))
	return d.newJournal()
}

// newJournal replaces the journal by an empty one for the snapshot at
// d.pos and opens it for appending.
func (d *store) newJournal() error {
	d.closeJournal()
	h := journalHeader{lineage: d.pos.lineage, gen: d.pos.gen, first: d.pos.rec + 1}
	if err := d.replaceFile(d.journal, h.encode()); err != nil {
		return d.failf("journal: %v", err)
	}
	f, err := os.OpenFile(d.journal, os.O_RDWR, 0)
	if err != nil {
		return d.failf("journal: %v", err)
	}
	d.jf = f
	d.pos.off = journalHeaderSize
	return nil
}

// replaceFile atomically replaces path with data: a temporary file (mode
// 0600) in the same directory, synced, renamed over path, and the
// directory synced.
func (d *store) replaceFile(path string, data []byte) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, filepath.Base(d.path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(name)
		return err
	}
	if testHookBeforeRename != nil {
		if err := testHookBeforeRename(name); err != nil {
			return err
		}
	}
	if err := os.Rename(name, path); err != nil {
		os.Remove(name)
		return err
	}
	return syncDir(dir)
}

func writeSynced(f *os.File, data []byte) error {
	if err := f.Chmod(0o600); err != nil && !isChmodUnsupported() {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes the directory's entries durable where the platform can;
// only a file system's "not supported" is not an error.
func syncDir(dir string) error {
	if !dirSyncSupported {
		return nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	f.Close()
	if err != nil && !errors.Is(err, errors.ErrUnsupported) && !isSyncUnsupported(err) {
		return fmt.Errorf("sync of directory %s: %w", dir, err)
	}
	return nil
}

// sweep removes the temporary files of the state file found under the
// exclusive lock: a writer that was killed left them (a writer removes
// its own before it unlocks).
func (d *store) sweep() {
	dir := filepath.Dir(d.path)
	prefix := filepath.Base(d.path) + ".tmp-"
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		n := e.Name()
		if strings.HasPrefix(n, prefix) && isDigits(n[len(prefix):]) {
			os.Remove(filepath.Join(dir, n))
		}
	}
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
