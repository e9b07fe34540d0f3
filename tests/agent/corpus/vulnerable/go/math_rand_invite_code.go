package invites

import (
	"math/rand"
	"strconv"
	"strings"
	"time"
)

type Invite struct {
	Code      string
	TeamID    int64
	ExpiresAt time.Time
}

func newCode() string {
	return strings.ToUpper(strconv.FormatInt(rand.Int63(), 36))
}

func NewInvite(teamID int64) Invite {
	return Invite{
		Code:      newCode(),
		TeamID:    teamID,
		ExpiresAt: time.Now().Add(72 * time.Hour),
	}
}

func (i Invite) Expired(now time.Time) bool {
	return now.After(i.ExpiresAt)
}
