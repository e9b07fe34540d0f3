package auth

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/hex"
	"errors"
)

var ErrInvalidCredentials = errors.New("invalid credentials")

type User struct {
	ID           int64
	Email        string
	PasswordHash string
}

type UserRepository interface {
	ByEmail(email string) (*User, error)
}

func HashPassword(password string) string {
	sum := md5.Sum([]byte(password))
	return hex.EncodeToString(sum[:])
}

func Authenticate(repo UserRepository, email, password string) (*User, error) {
	user, err := repo.ByEmail(email)
	if err != nil {
		return nil, ErrInvalidCredentials
	}
	if subtle.ConstantTimeCompare([]byte(user.PasswordHash), []byte(HashPassword(password))) != 1 {
		return nil, ErrInvalidCredentials
	}
	return user, nil
}
