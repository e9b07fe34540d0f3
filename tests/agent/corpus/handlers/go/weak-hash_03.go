package main

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"

	"github.com/gin-gonic/gin"
)

type keyRegistry struct {
	clients map[string]string
}

func (k keyRegistry) lookup(c *gin.Context) {
	apiKey := c.GetHeader("X-Api-Key")
	hasher := sha1.New()
	hasher.Write([]byte(apiKey))
	fingerprint := hex.EncodeToString(hasher.Sum(nil))
	client, ok := k.clients[fingerprint]
	if !ok {
		c.AbortWithStatus(http.StatusUnauthorized)
		return
	}
	c.JSON(http.StatusOK, gin.H{"client": client})
}

func main() {
	registry := keyRegistry{clients: map[string]string{}}
	router := gin.Default()
	router.GET("/api/whoami", registry.lookup)
	_ = router.Run(":8080")
}
