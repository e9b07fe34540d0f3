package main

import (
	"fmt"
	"math/rand"
	"net/http"
	"sync"

	"github.com/gin-gonic/gin"
)

type otpStore struct {
	mu    sync.Mutex
	codes map[string]string
}

func (s *otpStore) issue(phone string) {
	code := fmt.Sprintf("%06d", rand.Intn(1000000))
	s.mu.Lock()
	defer s.mu.Unlock()
	s.codes[phone] = code
}

func main() {
	store := &otpStore{codes: map[string]string{}}
	router := gin.Default()
	router.POST("/login/otp", func(c *gin.Context) {
		store.issue(c.PostForm("phone"))
		c.Status(http.StatusAccepted)
	})
	_ = router.Run(":8080")
}
