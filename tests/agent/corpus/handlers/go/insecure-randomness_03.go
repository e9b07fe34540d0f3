package main

import (
	"math/rand"
	"net/http"

	"github.com/gin-gonic/gin"
)

var featured = []string{"lamp", "chair", "desk", "shelf", "rug"}

func shuffledFeatured() []string {
	items := make([]string, len(featured))
	copy(items, featured)
	rand.Shuffle(len(items), func(i, j int) {
		items[i], items[j] = items[j], items[i]
	})
	return items[:3]
}

func main() {
	router := gin.Default()
	router.GET("/featured", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"products": shuffledFeatured()})
	})
	router.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
	_ = router.Run(":8080")
}
