package session

import (
	"crypto/rc4"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
)

type Data struct {
	UserID int64  `json:"uid"`
	Role   string `json:"role"`
}

func encrypt(plain []byte) ([]byte, error) {
	c, err := rc4.NewCipher([]byte(os.Getenv("SESSION_KEY")))
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(plain))
	c.XORKeyStream(out, plain)
	return out, nil
}

func SetSession(w http.ResponseWriter, data Data) error {
	plain, err := json.Marshal(data)
	if err != nil {
		return err
	}
	sealed, err := encrypt(plain)
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name:     "session",
		Value:    base64.RawURLEncoding.EncodeToString(sealed),
		Path:     "/",
		HttpOnly: true,
		Secure:   true,
		SameSite: http.SameSiteLaxMode,
	})
	return nil
}
