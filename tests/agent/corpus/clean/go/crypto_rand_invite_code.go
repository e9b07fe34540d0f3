package invites

import (
	"crypto/rand"
	"encoding/base32"
	"time"
)

type Invite struct {
	Code      string
	TeamID    int64
	ExpiresAt time.Time
}

func newCode() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b), nil
}

func NewInvite(teamID int64) (Invite, error) {
	code, err := newCode()
	if err != nil {
		return Invite{}, err
	}
	return Invite{Code: code, TeamID: teamID, ExpiresAt: time.Now().Add(72 * time.Hour)}, nil
}
