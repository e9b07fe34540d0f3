// Test target for insecure-randomness.yaml.
package main

import (
	crand "crypto/rand"
	"encoding/hex"
	"fmt"
	"math/rand"
	"time"
)

const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

func generateResetToken() string {
	b := make([]byte, 32)
	for i := range b {
		// ruleid: bastion.go.insecure-randomness
		b[i] = alphabet[rand.Intn(len(alphabet))]
	}
	return string(b)
}

type Service struct{ rng *rand.Rand }

func (s *Service) NewSessionID() string {
	// ruleid: bastion.go.insecure-randomness
	return fmt.Sprintf("%016x", s.rng.Int63())
}

func createUser(name string) (string, string) {
	// ruleid: bastion.go.insecure-randomness
	otpCode := fmt.Sprintf("%06d", rand.Intn(1000000))
	buf := make([]byte, 16)
	// ok: bastion.go.insecure-randomness
	crand.Read(buf)
	// ok: bastion.go.insecure-randomness
	apiKey := hex.EncodeToString(buf)
	return name + otpCode, apiKey
}

func (s *Service) rotateSigningKey(keys map[string]int64) {
	// ruleid: bastion.go.insecure-randomness
	keys["current"] = rand.Int63()
}

func rollDice() int {
	// ok: bastion.go.insecure-randomness
	return rand.Intn(6) + 1
}

func backoff(attempt int) time.Duration {
	// ok: bastion.go.insecure-randomness
	jitter := time.Duration(rand.Int63n(int64(time.Second)))
	return time.Duration(attempt)*time.Second + jitter
}
