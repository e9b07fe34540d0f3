// Test target for xss.yaml (React).
import DOMPurify from "dompurify";

export function Comment({ body }) {
  // ruleid: bastion.javascript.xss.dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: body }} />;
}

export function SafeComment({ body }) {
  // ok: bastion.javascript.xss.dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: DOMPurify.sanitize(body) }} />;
}

export function CleanComment({ body }) {
  const clean = DOMPurify.sanitize(body);
  // ok: bastion.javascript.xss.dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: clean }} />;
}

export function PlainComment({ body }) {
  // ok: bastion.javascript.xss.dangerously-set-inner-html
  return <div>{body}</div>;
}

export function Static() {
  // ok: bastion.javascript.xss.dangerously-set-inner-html
  return <div dangerouslySetInnerHTML={{ __html: "<hr/>" }} />;
}
