import { useEffect, useState } from 'react';

interface Comment {
  id: string;
  author: string;
  body: string;
  postedAt: string;
}

export function CommentList({ ticketId }: { ticketId: string }) {
  const [comments, setComments] = useState<Comment[]>([]);

  useEffect(() => {
    fetch(`/api/tickets/${encodeURIComponent(ticketId)}/comments`)
      .then((response) => response.json())
      .then((data: { comments: Comment[] }) => setComments(data.comments));
  }, [ticketId]);

  return (
    <ul className="comments">
      {comments.map((comment) => (
        <li key={comment.id}>
          <header>
            {comment.author} · <time dateTime={comment.postedAt}>{new Date(comment.postedAt).toLocaleString()}</time>
          </header>
          <p className="comment-body">{comment.body}</p>
        </li>
      ))}
    </ul>
  );
}
