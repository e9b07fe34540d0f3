// Test target for hardcoded-secret.yaml. Every credential below is invented.
package main

import (
	"database/sql"
	"net/http"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ruleid: bastion.go.hardcoded-secret
const apiKey = "4f9a1c2e7b3d8e6f0a5b"

// ok: bastion.go.hardcoded-secret
const apiKeyVariable = "API_KEY"

// ok: bastion.go.hardcoded-secret
var dbPassword = os.Getenv("DB_PASSWORD")

type Config struct {
	User     string
	Password string
}

func config() Config {
	return Config{
		User: "app",
		// ruleid: bastion.go.hardcoded-secret
		Password: "s3cr3t-p4ss",
	}
}

func configFromEnvironment() Config {
	// ok: bastion.go.hardcoded-secret
	return Config{User: "app", Password: os.Getenv("DB_PASSWORD")}
}

func issue(userID string) (string, error) {
	token := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": userID, "exp": time.Now().Add(time.Hour).Unix()})
	// ruleid: bastion.go.hardcoded-secret
	return token.SignedString([]byte("my-super-secret-signing-key"))
}

func isAdmin(r *http.Request) bool {
	password := r.FormValue("password")
	// ruleid: bastion.go.hardcoded-secret
	return password == "letmein123"
}

func open() (*sql.DB, error) {
	// ruleid: bastion.go.hardcoded-secret.known-format
	return sql.Open("mysql", "billing:Tr0ub4dor3@tcp(db.internal:3306)/billing")
}

func openFromEnvironment() (*sql.DB, error) {
	// ok: bastion.go.hardcoded-secret.known-format
	return sql.Open("mysql", os.Getenv("DATABASE_DSN"))
}
