package config

import (
	"fmt"
	"strings"
)

// ImportPlan is an import read and checked, not yet written: an exported
// list, or the contexts of a Grafana command-line tool. Both front-ends show
// it whole before the user agrees, and it is applied whole or not at all.
type ImportPlan struct {
	// Add holds the instances that would be added.
	Add []Instance
	// Skipped holds the ids already configured, which the import leaves alone.
	Skipped []string
	// Secrets holds, by instance id, the password or token an import read
	// along with the instance (a tool's contexts may carry them; an exported
	// list never does). Applying the plan stores each in the keyring, bound
	// to its instance's address; instances.json never holds one.
	Secrets Secrets
	// Notes says, by instance id, what a person must know before agreeing:
	// settings the source had that were not carried over, and warnings.
	Notes map[string][]string
	// Left says, one line each, what in the source does not become an
	// instance, and why.
	Left []string
}

// Secrets are passwords and tokens by instance id. Printed in any form
// they show only how many there are, never a value.
type Secrets map[string]string

// String counts the secrets without showing any.
func (s Secrets) String() string { return fmt.Sprintf("%d secret(s)", len(s)) }

// GoString is String, so %#v cannot show a value either.
func (s Secrets) GoString() string { return s.String() }

// PlanList turns an exported list into a plan against the instances
// configured now: an id already taken is skipped, not overwritten.
func PlanList(list, existing []Instance) *ImportPlan {
	plan := &ImportPlan{}
	have := make(map[string]bool, len(existing))
	for _, inst := range existing {
		have[inst.ID] = true
	}
	for _, inst := range list {
		if have[inst.ID] {
			plan.Skipped = append(plan.Skipped, inst.ID)
			continue
		}
		have[inst.ID] = true
		plan.Add = append(plan.Add, inst)
	}
	return plan
}

// Merge returns list with the plan's instances added. If one of their ids
// was taken since the plan was read (by another window or command), the
// list is no longer the one the user agreed to extend, so nothing is added
// and the error says which id.
func (p *ImportPlan) Merge(list []Instance) ([]Instance, error) {
	have := make(map[string]bool, len(list))
	for _, inst := range list {
		have[inst.ID] = true
	}
	for _, inst := range p.Add {
		if have[inst.ID] {
			return nil, fmt.Errorf("an instance with the id %q was added since the import was read: read the file again", inst.ID)
		}
	}
	return append(append([]Instance(nil), list...), p.Add...), nil
}

// SecretsNote says where the plan's secrets go, for the preview; "" when
// it carries none.
func (p *ImportPlan) SecretsNote() string {
	if len(p.Secrets) == 0 {
		return ""
	}
	words := make([]string, 0, len(p.Secrets))
	seen := map[string]bool{}
	for _, inst := range p.Add {
		if _, ok := p.Secrets[inst.ID]; ok && !seen[inst.SecretWord()] {
			seen[inst.SecretWord()] = true
			words = append(words, inst.SecretWord()+"s")
		}
	}
	return fmt.Sprintf("Their %s go into the system keyring, each bound to its instance's address; "+
		"instances.json never holds them.", strings.Join(words, " and "))
}
