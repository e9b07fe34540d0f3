package main

import (
	"database/sql"
	"net/http"

	"github.com/gin-gonic/gin"
	"golang.org/x/crypto/bcrypt"
)

func registerRoutes(router *gin.Engine, db *sql.DB) {
	router.POST("/register", func(c *gin.Context) {
		username := c.PostForm("username")
		hash, err := bcrypt.GenerateFromPassword([]byte(c.PostForm("password")), bcrypt.DefaultCost)
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "bad password"})
			return
		}
		if _, err := db.Exec("INSERT INTO users (username, password_hash) VALUES (?, ?)", username, string(hash)); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": "registration failed"})
			return
		}
		c.Status(http.StatusCreated)
	})
	router.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"ok": true})
	})
}
