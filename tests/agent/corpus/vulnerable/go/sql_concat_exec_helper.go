package accounts

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"strings"
)

type Store struct {
	db *sql.DB
}

func (s *Store) deactivate(ctx context.Context, usernames []string) (int64, error) {
	list := "'" + strings.Join(usernames, "','") + "'"
	res, err := s.db.ExecContext(ctx, "UPDATE users SET active = false WHERE username IN ("+list+")")
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *Store) HandleDeactivate(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	count, err := s.deactivate(r.Context(), r.Form["username"])
	if err != nil {
		http.Error(w, "update failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "deactivated %d accounts\n", count)
}
