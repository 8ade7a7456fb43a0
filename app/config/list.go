package config

import (
	"encoding/json"
	"fmt"
	"io"
)

// maxListBytes bounds an instance list read for import: an exported list
// of thousands of instances is far smaller.
const maxListBytes = 8 << 20

// ReadList reads and checks an exported instance list (instances.json's
// format, or a bare array written by hand); it writes nothing. If any entry
// is invalid the whole list is refused.
func ReadList(r io.Reader) ([]Instance, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxListBytes+1))
	if err != nil {
		return nil, fmt.Errorf("could not read the list: %w", err)
	}
	if len(data) > maxListBytes {
		return nil, fmt.Errorf("the list is over %d MiB: it is not an exported instance list", maxListBytes>>20)
	}
	var f File // an exported list has instances.json's format
	if err := json.Unmarshal(data, &f); err != nil {
		// A bare array is accepted too, as people write those by hand.
		if json.Unmarshal(data, &f.Instances) != nil {
			return nil, fmt.Errorf("the list is not an exported instance list (%v)", err)
		}
	}
	if f.Version > StoreVersion {
		return nil, fmt.Errorf("the list has version %d, newer than this Licensedesk understands (%d): update Licensedesk", f.Version, StoreVersion)
	}
	for i, inst := range f.Instances {
		if err := inst.Validate(); err != nil {
			return nil, fmt.Errorf("entry %d (%q): %w", i+1, inst.ID, err)
		}
	}
	return f.Instances, nil
}
