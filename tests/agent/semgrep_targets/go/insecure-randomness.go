// Test target for insecure-randomness.yaml.
package main

import (
	crand "crypto/rand"
	"encoding/base64"
	"fmt"
	"math/rand"
	"time"
)

func resetToken() string {
	// ruleid: bastion.go.insecure-randomness
	return fmt.Sprintf("%x", rand.Int63())
}

func issue() (string, int) {
	// ruleid: bastion.go.insecure-randomness
	sessionID := fmt.Sprint(rand.Int63())
	// ruleid: bastion.go.insecure-randomness
	otpCode := rand.Intn(1000000)
	return sessionID, otpCode
}

func apiKey() string {
	bytes := make([]byte, 32)
	// ok: bastion.go.insecure-randomness
	crand.Read(bytes)
	return base64.RawURLEncoding.EncodeToString(bytes)
}

func backoff(attempt int) time.Duration {
	// ok: bastion.go.insecure-randomness
	jitter := rand.Intn(100)
	return time.Duration(attempt*100+jitter) * time.Millisecond
}

func shuffle(cards []string) {
	// ok: bastion.go.insecure-randomness
	order := rand.Perm(len(cards))
	_ = order
}
