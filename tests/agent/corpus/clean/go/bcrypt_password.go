package auth

import (
	"errors"

	"golang.org/x/crypto/bcrypt"
)

var ErrInvalidCredentials = errors.New("invalid credentials")

type User struct {
	ID           int64
	Email        string
	PasswordHash []byte
}

type UserRepository interface {
	ByEmail(email string) (*User, error)
}

func HashPassword(password string) ([]byte, error) {
	return bcrypt.GenerateFromPassword([]byte(password), 12)
}

func Authenticate(repo UserRepository, email, password string) (*User, error) {
	user, err := repo.ByEmail(email)
	if err != nil {
		return nil, ErrInvalidCredentials
	}
	if bcrypt.CompareHashAndPassword(user.PasswordHash, []byte(password)) != nil {
		return nil, ErrInvalidCredentials
	}
	return user, nil
}
