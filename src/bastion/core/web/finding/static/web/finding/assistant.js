// The finding page's assistant: POST the question to the agent's /agent/v1/chat/stream with the
// session cookie and the CSRF header, read the server-sent events as they arrive and draw each one.
// Everything the agent says is drawn as text (textContent): nothing from the stream is parsed as HTML.
"use strict";

(function () {
  // The agent's intent router reads a finding from "#12" or "finding 12" (agent/chat/intent.py):
  // a question that names none is sent about this page's finding.
  var PROPOSAL_URL = /^\/agent\/v1\/proposals\/[0-9a-f-]{1,64}\/(confirm|reject)$/i;
  // The parts of the page a confirmed change alters; everything else (the conversation) stays.
  var REFRESHED = ["finding-summary", "sla-table", "triage", "timeline-list"];
  var ARGUMENTS_SHOWN = 160;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function detailOf(body) {
    var detail = body && body.detail;
    if (Array.isArray(detail)) {
      detail = detail.map(function (item) {
        var where = Array.isArray(item.loc) ? item.loc.filter(function (part) { return part !== "body"; }).join(".") : "";
        return (where ? where + ": " : "") + (item.msg || String(item));
      }).join("; ");
    }
    return detail ? String(detail) : "";
  }

  // An HTTP refusal in plain words (the agent's detail says why, and is safe to show).
  function errorText(status, body, what) {
    var detail = detailOf(body);
    if (status === 401) { return "Your session has ended: sign in again, then ask again."; }
    if (status === 403) { return "Refused: " + (detail || "you may not do this."); }
    if (status === 404) { return "Not found: " + (detail || "it is out of reach."); }
    if (status === 409) { return "Not applied: " + (detail || "this proposal was already decided."); }
    if (status === 422) { return "The question could not be sent: " + (detail || "it is not valid."); }
    if (status === 429) { return "Too many questions: " + (detail || "wait a minute and try again."); }
    if (status === 503) { return "The assistant's language model is unavailable: " + (detail || "try again later."); }
    return what + " failed (" + status + ")" + (detail ? ": " + detail : ".");
  }

  function refusal(response, what) {
    return response.json().catch(function () { return null; }).then(function (body) {
      var error = new Error(errorText(response.status, body, what));
      error.status = response.status;
      throw error;
    });
  }

  // Call onEvent with each `data:` event of a server-sent event stream, as its bytes arrive.
  function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = "";

    function dispatch(block) {
      var data = block.split("\n").filter(function (line) { return line.indexOf("data:") === 0; })
        .map(function (line) { return line.slice(5).replace(/^ /, ""); }).join("\n");
      if (data) { onEvent(JSON.parse(data)); }
    }

    function drain(isLast) {
      var blocks = buffer.replace(/\r/g, "").split("\n\n");
      buffer = isLast ? "" : blocks.pop();
      blocks.forEach(dispatch);
    }

    function pump() {
      return reader.read().then(function (part) {
        if (part.done) {
          buffer += decoder.decode();
          drain(true);
          return;
        }
        buffer += decoder.decode(part.value, { stream: true });
        drain(false);
        return pump();
      });
    }
    return pump();
  }

  function summarise(values) {
    var text = Object.keys(values || {}).map(function (name) {
      return name + ": " + JSON.stringify(values[name]);
    }).join(", ");
    return text.length > ARGUMENTS_SHOWN ? text.slice(0, ARGUMENTS_SHOWN - 1) + "…" : text;
  }

  function start() {
    var form = document.getElementById("assistant-form");
    if (!form) { return; }
    var message = document.getElementById("assistant-message");
    var send = document.getElementById("assistant-send");
    var stop = document.getElementById("assistant-stop");
    var restart = document.getElementById("assistant-new");
    var status = document.getElementById("assistant-status");
    var log = document.getElementById("assistant-conversation");
    var findingId = Number(form.getAttribute("data-finding-id"));
    var organizationId = Number(form.getAttribute("data-organization-id"));
    var statuses = JSON.parse(document.getElementById("assistant-statuses").textContent);
    var conversationId = null;
    var controller = null;
    var proposalCount = 0;

    message.maxLength = Number(form.getAttribute("data-max-message"));

    function csrfToken() {
      return form.querySelector("[name=csrfmiddlewaretoken]").value;
    }

    function post(url, body, signal) {
      var headers = { "X-CSRFToken": csrfToken(), "Accept": body ? "text/event-stream" : "application/json" };
      if (body) { headers["Content-Type"] = "application/json"; }
      return fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: headers,
        body: body ? JSON.stringify(body) : undefined,
        signal: signal
      });
    }

    function setBusy(isBusy) {
      send.disabled = isBusy;
      stop.hidden = !isBusy;
      restart.disabled = isBusy;
    }

    function currentStatusLabel() {
      var current = document.getElementById("finding-status");
      return current ? current.textContent.trim() : "";
    }

    // Fetch this page again and put its fresh status, dates, triage and timeline in place.
    function refreshFinding() {
      return fetch(form.getAttribute("data-page-url"), { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("The page could not be refreshed (" + response.status + "): reload it."); }
          return response.text();
        }).then(function (html) {
          var fresh = new DOMParser().parseFromString(html, "text/html");
          REFRESHED.forEach(function (id) {
            var old = document.getElementById(id);
            var replacement = fresh.getElementById(id);
            if (old && replacement) {
              old.replaceWith(document.adoptNode(replacement));
            } else if (old) {
              old.remove();
            }
          });
        });
    }

    function Turn(question) {
      this.node = element("div", "assistant__turn");
      var asked = element("p", "assistant__question");
      asked.appendChild(element("strong", null, "You: "));
      asked.appendChild(document.createTextNode(question));
      this.node.appendChild(asked);
      this.text = null;
      this.calls = {};  // tool call id → its drawn result
      this.proposed = {};  // proposal id → the tool's result (what it would change)
      log.appendChild(this.node);
    }

    Turn.prototype.add = function (node) {
      this.text = null;
      this.node.appendChild(node);
      return node;
    };

    Turn.prototype.say = function (chunk) {
      if (!this.text) {
        var answer = this.add(element("div", "assistant__answer"));
        answer.appendChild(element("strong", null, "Assistant: "));
        this.text = answer.appendChild(element("span", "assistant__text"));
      }
      this.text.appendChild(document.createTextNode(chunk));
    };

    Turn.prototype.note = function (text, className) {
      return this.add(element("p", className || "assistant__note muted", text));
    };

    Turn.prototype.toolCall = function (event) {
      var box = element("details", "assistant__tool");
      var summary = element("summary");
      summary.appendChild(element("span", "assistant__tool-name", "Tool " + event.name));
      var args = summarise(event.arguments);
      if (args) { summary.appendChild(element("span", "muted", " (" + args + ")")); }
      var state = summary.appendChild(element("span", "assistant__tool-state", " · running…"));
      box.appendChild(summary);
      var result = box.appendChild(element("pre", "assistant__tool-result", "No result yet."));
      this.add(box);
      this.calls[event.id] = { state: state, result: result };
    };

    Turn.prototype.toolResult = function (event) {
      if (event.result && event.result.proposal_id) { this.proposed[event.result.proposal_id] = event.result; }
      var shown = this.calls[event.id];
      if (!shown) { return; }
      if (event.error) {
        shown.state.textContent = " · refused: " + event.error;
        shown.state.className = "assistant__tool-state assistant__tool-state--refused";
        shown.result.textContent = event.error;
      } else {
        shown.state.textContent = " · done";
        shown.result.textContent = JSON.stringify(event.result, null, 2);
      }
    };

    Turn.prototype.proposal = function (event) {
      proposalCount += 1;
      var data = this.proposed[event.proposal_id] || {};
      var titleId = "assistant-proposal-" + proposalCount;
      var card = element("div", "assistant__proposal");
      card.setAttribute("role", "group");
      card.setAttribute("aria-labelledby", titleId);
      var title = card.appendChild(element("h3", "assistant__proposal-title", "Proposed change"));
      title.id = titleId;
      card.appendChild(element("p", null, event.summary));
      var changes = card.appendChild(element("ul", "assistant__changes"));
      var target = event.action === "status" && data.to_status ? statuses[data.to_status] || data.to_status : null;
      var change = target ? "status → " + target
        : event.action === "assign" && data.assignee ? "assigned to " + data.assignee : event.action;
      event.finding_ids.forEach(function (id) {
        // This page shows the finding's status: say the move in full (from → to).
        var text = id === findingId
          ? "#" + id + " (this finding): " + (target ? currentStatusLabel() + " → " + target : change)
          : "#" + id + ": " + change;
        changes.appendChild(element("li", null, text));
      });
      var actions = card.appendChild(element("div", "assistant__proposal-actions"));
      var confirm = actions.appendChild(element("button", "button button--primary", "Confirm"));
      var reject = actions.appendChild(element("button", "button", "Reject"));
      confirm.type = reject.type = "button";
      var outcome = card.appendChild(element("p", "assistant__outcome"));
      outcome.setAttribute("aria-live", "polite");
      this.add(card);

      function decide(url, isConfirm) {
        if (!PROPOSAL_URL.test(url)) {
          outcome.textContent = "This proposal's address is not the agent's: nothing was sent.";
          return;
        }
        confirm.disabled = reject.disabled = true;
        outcome.textContent = isConfirm ? "Applying…" : "Rejecting…";
        post(url, null).then(function (response) {
          return response.ok ? response.json() : refusal(response, isConfirm ? "Confirming" : "Rejecting");
        }).then(function (result) {
          if (!isConfirm) {
            outcome.textContent = "Rejected: nothing changed.";
            return null;
          }
          outcome.textContent = "Confirmed: " + plural(result.changed, "finding") + " changed.";
          if (result.changed > 0 && event.finding_ids.indexOf(findingId) !== -1) {
            return refreshFinding().then(function () {
              status.textContent = "This finding is now " + currentStatusLabel() + ".";
            }, function (error) {
              status.textContent = error.message;  // the change is made: only the page is stale
            });
          }
          return null;
        }).catch(function (error) {
          outcome.textContent = error.status ? error.message : "The agent could not be reached.";
          // A decided proposal stays decided; anything else may be tried again.
          confirm.disabled = reject.disabled = error.status === 409;
        });
      }

      confirm.addEventListener("click", function () { decide(event.confirm_url, true); });
      reject.addEventListener("click", function () { decide(event.reject_url, false); });
    };

    function ask(question) {
      var turn = new Turn(question);
      // The page's finding is the question's subject: the agent reads a change or a question that
      // names no other finding, asset or criterion as being about it.
      var body = { message: question, finding_id: findingId };
      if (conversationId) {
        body.conversation_id = conversationId;
      } else {
        body.organization = organizationId;
      }
      var finished = false;
      controller = new AbortController();
      setBusy(true);
      status.textContent = "The assistant is answering…";
      post(form.getAttribute("data-chat-url"), body, controller.signal).then(function (response) {
        if (!response.ok) { return refusal(response, "The question"); }
        return readEvents(response, function (event) {
          if (event.type === "conversation") {
            conversationId = event.conversation_id;
            restart.hidden = false;
          } else if (event.type === "text") {
            turn.say(event.text);
          } else if (event.type === "tool_call") {
            turn.toolCall(event);
          } else if (event.type === "tool_result") {
            turn.toolResult(event);
          } else if (event.type === "proposal") {
            turn.proposal(event);
          } else if (event.type === "error") {
            turn.note("The assistant could not go on: " + event.message, "assistant__error");
          } else if (event.type === "done") {
            finished = true;
          }
        });
      }).then(function () {
        if (finished) {
          status.textContent = "Answered.";
        } else {
          turn.note("The answer was cut off before its end.", "assistant__error");
          status.textContent = "The answer was cut off.";
        }
      }).catch(function (error) {
        if (error.name === "AbortError") {
          turn.note("Stopped.");
          status.textContent = "Stopped.";
          return;
        }
        if (error.status === 404 && conversationId) {
          // The conversation is gone (deleted, or the organisation left): start afresh next time.
          conversationId = null;
        }
        var text = error.status ? error.message : error instanceof SyntaxError
          ? "The answer could not be read." : "The assistant could not be reached.";
        turn.note(text, "assistant__error");
        status.textContent = text;
      }).finally(function () {
        controller = null;
        setBusy(false);
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (controller) { return; }
      var question = message.value.trim();
      if (!question) {
        status.textContent = "Type a question first.";
        message.focus();
        return;
      }
      message.value = "";
      ask(question);
    });

    message.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey &&
          !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        form.requestSubmit();
      }
    });

    stop.addEventListener("click", function () {
      if (controller) { controller.abort(); }
      message.focus();
    });

    restart.addEventListener("click", function () {
      conversationId = null;
      log.replaceChildren();
      restart.hidden = true;
      status.textContent = "A new conversation: ask your question.";
      message.focus();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
