// Test target for weak-hash.yaml.
package main

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
)

func hashPassword(password string) string {
	// ruleid: bastion.go.weak-hash
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func storeCredentials(user string, secret string) []byte {
	// ruleid: bastion.go.weak-hash
	hasher := sha1.New()
	hasher.Write([]byte(user + secret))
	return hasher.Sum(nil)
}

func strongPassword(password string) [32]byte {
	// ok: bastion.go.weak-hash
	return sha256.Sum256([]byte(password))
}

func etag(body []byte) string {
	// ok: bastion.go.weak-hash
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

func register(w http.ResponseWriter, r *http.Request) {
	password := r.PostFormValue("password")
	// ruleid: bastion.go.weak-hash
	sum := md5.Sum([]byte(password))
	_, _ = w.Write([]byte(hex.EncodeToString(sum[:])))
}

func whoAmI(w http.ResponseWriter, r *http.Request) {
	apiKey := r.Header.Get("X-Api-Key")
	// ruleid: bastion.go.weak-hash
	hasher := sha1.New()
	hasher.Write([]byte(apiKey))
	_, _ = w.Write([]byte(hex.EncodeToString(hasher.Sum(nil))))
}

var termsDocument = []byte("Terms of service")

func terms(w http.ResponseWriter, r *http.Request) {
	// ok: bastion.go.weak-hash
	sum := md5.Sum(termsDocument)
	w.Header().Set("ETag", hex.EncodeToString(sum[:]))
	_, _ = w.Write(termsDocument)
}
