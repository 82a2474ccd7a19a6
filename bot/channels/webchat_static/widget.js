/* IWM Guide web chat widget: one <script> tag, no dependencies.
 *
 *   <script src="https://bot.example.org/webchat/widget.js"
 *           data-server="https://bot.example.org" data-title="IWM Guide"
 *           data-color="#2f5d62" data-lang="en" defer></script>
 *
 * Talks to the bot's /socket.io endpoint (Engine.IO 4 / Socket.IO 5 over a plain
 * WebSocket), keeps the session secret and transcript in localStorage so a reload
 * continues the conversation (and forgets both when the person deletes their data), and renders bot text through a small Markdown subset built from DOM
 * nodes: no message is ever parsed as HTML. Lives in a shadow root so the host page's
 * styles and ours never meet.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var data = script.dataset;
  var server = (data.server || new URL(script.src).origin).replace(/\/$/, "");
  var storageKey = "iwm-webchat:" + server;
  var maxStored = 200;
  var replyPatienceMs = 15000;

  var STRINGS = {
    en: { open: "Open chat", close: "Close chat", restart: "New conversation", send: "Send",
      placeholder: "Type a message", label: "Your message", log: "Conversation",
      offline: "Can't reach the bot right now. Retrying...", slow: "Still working on it... if nothing comes, please try again in a moment.",
      you: "You said", bot: "Bot said", image: "Chart of your results", download: "Download your summary (PDF)",
      erased: "Your data was deleted, and this chat starts afresh." },
    es: { open: "Abrir chat", close: "Cerrar chat", restart: "Nueva conversación", send: "Enviar",
      placeholder: "Escribe un mensaje", label: "Tu mensaje", log: "Conversación",
      offline: "No se puede conectar con el bot ahora. Reintentando...", slow: "Sigo trabajando... si no llega nada, inténtalo de nuevo en un momento.",
      you: "Dijiste", bot: "El bot dijo", image: "Gráfico de tus resultados", download: "Descargar tu resumen (PDF)",
      erased: "Tus datos se han borrado y este chat empieza de nuevo." },
    de: { open: "Chat öffnen", close: "Chat schließen", restart: "Neues Gespräch", send: "Senden",
      placeholder: "Nachricht eingeben", label: "Deine Nachricht", log: "Unterhaltung",
      offline: "Der Bot ist gerade nicht erreichbar. Neuer Versuch...", slow: "Einen Moment noch... falls nichts kommt, versuche es bitte gleich noch einmal.",
      you: "Du hast gesagt", bot: "Der Bot sagte", image: "Diagramm deiner Ergebnisse", download: "Zusammenfassung herunterladen (PDF)",
      erased: "Deine Daten wurden gelöscht; dieser Chat beginnt neu." }
  };
  var lang = STRINGS[data.lang] ? data.lang : "en";
  var t = STRINGS[lang];
  var colour = /^#[0-9a-fA-F]{3,8}$/.test(data.color || "") ? data.color : "#2f5d62";

  // ---- state: session id and transcript survive reloads --------------------------------
  function load() {
    try { return JSON.parse(localStorage.getItem(storageKey)) || {}; } catch (e) { return {}; }
  }
  var state = load();
  state.log = Array.isArray(state.log) ? state.log : [];
  function save() {
    state.log = state.log.slice(-maxStored);
    try { localStorage.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* full: keep going */ }
  }

  // ---- DOM ----------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  var host = el("div", { "class": "iwm-webchat" });
  var root = host.attachShadow({ mode: "open" });
  var style = el("style");
  style.textContent =
    ":host{all:initial;--c:" + colour + ";font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2327}" +
    "*{box-sizing:border-box}" +
    ".launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:28px;padding:14px 20px;background:var(--c);color:#fff;font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25)}" +
    ".panel{position:fixed;right:20px;bottom:20px;z-index:2147483001;width:380px;height:min(620px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}" +
    ".panel[hidden],.launcher[hidden]{display:none}" +
    "header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:var(--c);color:#fff}" +
    "header h2{flex:1;margin:0;font-size:16px}" +
    "header button{border:1px solid rgba(255,255,255,.6);background:transparent;color:#fff;border-radius:8px;padding:4px 8px;font:inherit;font-size:13px;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7f7}" +
    ".msg{max-width:86%;padding:9px 12px;border-radius:12px;word-wrap:break-word;overflow-wrap:anywhere}" +
    ".msg pre{margin:0;max-height:260px;overflow:auto;white-space:pre-wrap;font-size:12px}" +
    ".msg p{margin:0 0 .5em}.msg p:last-child{margin:0}.msg ul,.msg ol{margin:.2em 0 .5em;padding-left:1.3em}" +
    ".bot{align-self:flex-start;background:#fff;border:1px solid #dcdcde}" +
    ".user{align-self:flex-end;background:var(--c);color:#fff;white-space:pre-wrap}" +
    ".note{align-self:center;font-size:13px;color:#50575e;text-align:center}" +
    ".msg img{display:block;max-width:100%;height:auto;border-radius:6px}.msg.chart{max-width:100%;padding:4px}" +
    ".buttons{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}" +
    ".buttons button{border:1px solid var(--c);background:#fff;color:var(--c);border-radius:16px;padding:6px 12px;font:inherit;font-size:14px;cursor:pointer}" +
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}" +
    "form{display:flex;gap:8px;padding:10px;border-top:1px solid #dcdcde;background:#fff}" +
    "input{flex:1;min-width:0;border:1px solid #8c8f94;border-radius:8px;padding:9px 10px;font:inherit}" +
    "form button{border:0;border-radius:8px;padding:9px 14px;background:var(--c);color:#fff;font:inherit;font-weight:600;cursor:pointer}" +
    "button:focus-visible,input:focus-visible{outline:3px solid #f0b849;outline-offset:2px}" +
    ".typing{align-self:flex-start;color:#50575e;font-size:13px}" +
    "@media (max-width:480px){.panel{right:0;bottom:0;width:100vw;height:100%;border-radius:0}}";

  var title = data.title || "IWM Guide";
  var launcher = el("button", { "class": "launcher", type: "button", "aria-haspopup": "dialog",
    "aria-expanded": "false", "aria-label": t.open + ": " + title }, [title]);
  var heading = el("h2", { id: "iwm-title" }, [title]);
  var restart = el("button", { type: "button" }, [t.restart]);
  var close = el("button", { type: "button", "aria-label": t.close }, ["✕"]);
  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": t.log, tabindex: "0" });
  var input = el("input", { id: "iwm-input", type: "text", autocomplete: "off", maxlength: "4000",
    placeholder: t.placeholder });
  var form = el("form", {}, [el("label", { "class": "sr", "for": "iwm-input" }, [t.label]), input,
    el("button", { type: "submit" }, [t.send])]);
  var panel = el("div", { "class": "panel", role: "dialog", "aria-labelledby": "iwm-title", lang: lang, hidden: "" },
    [el("header", {}, [heading, restart, close]), log, form]);
  root.append(style, launcher, panel);

  // ---- Markdown subset: paragraphs, lists, **bold**, *italic*, _italic_, `code`, links ----
  var INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|_[^_\s][^_]*_|`[^`]+`|\[[^\]]+\]\(https?:\/\/[^)\s]+\))/;
  function inline(text, parent) {
    text.split(INLINE).forEach(function (part, i) {
      if (i % 2 === 0) { if (part) parent.appendChild(document.createTextNode(part)); return; }
      if (part.slice(0, 2) === "**") return parent.appendChild(el("strong", {}, [part.slice(2, -2)]));
      if (part[0] === "`") return parent.appendChild(el("code", {}, [part.slice(1, -1)]));
      if (part[0] === "[") {
        var match = /^\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)$/.exec(part);
        return parent.appendChild(el("a", { href: match[2], target: "_blank", rel: "noopener noreferrer" }, [match[1]]));
      }
      parent.appendChild(el("em", {}, [part.slice(1, -1)]));
    });
    return parent;
  }
  function markdown(text) {
    var box = el("div");
    String(text).split(/```\n?([\s\S]*?)\n?```/).forEach(function (part, i) {
      if (i % 2) box.appendChild(el("pre", {}, [el("code", {}, [part])])); else paragraphs(part, box);
    });
    return box;
  }
  function paragraphs(text, box) {
    text.split(/\n{2,}/).forEach(function (block) {
      if (!block.trim()) return;
      var lines = block.split("\n");
      var bullet = /^\s*[-*•]\s+/, numbered = /^\s*\d+[.)]\s+/;
      var kind = lines.every(function (l) { return bullet.test(l); }) ? "ul"
        : lines.every(function (l) { return numbered.test(l); }) ? "ol" : null;
      if (kind) {
        var list = el(kind);
        lines.forEach(function (l) { list.appendChild(inline(l.replace(kind === "ul" ? bullet : numbered, ""), el("li"))); });
        return box.appendChild(list);
      }
      var p = el("p");
      lines.forEach(function (l, i) { if (i) p.appendChild(el("br")); inline(l.replace(/^#+\s+/, ""), p); });
      box.appendChild(p);
    });
  }

  // ---- rendering ------------------------------------------------------------------------
  var typing = null, slowTimer = null;
  function scroll() { log.scrollTop = log.scrollHeight; }
  function safeDocument(doc) {
    return doc && typeof doc.data === "string" && /^data:application\/pdf;base64,[A-Za-z0-9+\/=]+$/.test(doc.data);
  }
  function safeImage(src) {
    return typeof src === "string" && /^(https:\/\/|data:image\/(png|jpeg|gif|webp);base64,)/.test(src);
  }
  function render(entry, live) {
    var node;
    if (entry.from === "user") {
      node = el("div", { "class": "msg user" }, [el("span", { "class": "sr" }, [t.you + ": "]), entry.text]);
    } else if (entry.from === "note") {
      node = el("div", { "class": "note", role: "status" }, [entry.text]);
    } else if (entry.document) {
      var name = String(entry.document.filename || "results.pdf").replace(/[^\w.-]/g, "_");
      node = el("div", { "class": "msg bot" }, [el("a", { href: entry.document.data, download: name, "class": "download" }, [t.download])]);
    } else if (entry.image) {
      node = el("div", { "class": "msg bot chart" }, [el("img", { src: entry.image, alt: entry.alt || t.image })]);
    } else {
      node = el("div", { "class": "msg bot" }, [el("span", { "class": "sr" }, [t.bot + ": "]), markdown(entry.text || "")]);
    }
    log.appendChild(node);
    if (entry.buttons && entry.buttons.length && live) {
      var group = el("div", { "class": "buttons", role: "group" });
      entry.buttons.forEach(function (b) {
        var button = el("button", { type: "button" }, [String(b.title)]);
        button.addEventListener("click", function () { userSays(String(b.title), String(b.payload)); });
        group.appendChild(button);
      });
      log.appendChild(group);
    }
    scroll();
  }
  function renderAll() {
    log.textContent = "";
    var lastUser = state.log.map(function (e) { return e.from; }).lastIndexOf("user");
    state.log.forEach(function (entry, i) { render(entry, i > lastUser); });
  }
  function add(entry) {
    if (entry.from === "user") { // buttons answer the bot's last turn only
      log.querySelectorAll(".buttons").forEach(function (group) { group.remove(); });
    }
    if (entry.from !== "note") { state.log.push(entry); save(); }
    render(entry, true);
  }
  function setTyping(on) {
    clearTimeout(slowTimer);
    if (typing) { typing.remove(); typing = null; }
    if (!on) return;
    typing = el("div", { "class": "typing", "aria-hidden": "true" }, ["…"]);
    log.appendChild(typing); scroll();
    slowTimer = setTimeout(function () { setTyping(false); add({ from: "note", text: t.slow }); }, replyPatienceMs);
  }

  // ---- socket: Engine.IO 4 + Socket.IO 5, websocket transport only --------------------------
  var ws = null, connected = false, outbox = [], retryMs = 1000, offlineShown = false;
  function send(message) { // queued until the server has confirmed the session
    if (message !== undefined) outbox.push(message);
    if (!connected) return;
    outbox.splice(0).forEach(function (m) {
      ws.send("42" + JSON.stringify(["user_uttered", { message: m }]));
    });
  }
  function connect() {
    ws = new WebSocket(server.replace(/^http/, "ws") + "/socket.io/?EIO=4&transport=websocket");
    ws.onmessage = function (event) {
      var packet = String(event.data);
      if (packet[0] === "0") return ws.send("40");          // engine open -> join namespace "/"
      if (packet === "2") return ws.send("3");              // ping -> pong
      if (packet.slice(0, 2) === "40") {                    // namespace joined
        retryMs = 1000; offlineShown = false;
        ws.send("42" + JSON.stringify(["session_request", { session_id: state.sessionId || null }]));
        return;
      }
      if (packet.slice(0, 2) !== "42") return;
      var message = JSON.parse(packet.slice(2).replace(/^\d+/, ""));
      if (message[0] === "session_confirm") {
        var fresh = state.sessionId !== message[1];
        state.sessionId = message[1]; save(); connected = true;
        if (fresh && !state.log.length && data.initialPayload !== "") outbox.unshift(data.initialPayload || "/greet");
        send();
      } else if (message[0] === "bot_uttered") {
        botSays(message[1] || {});
      }
    };
    ws.onclose = function () {
      connected = false;
      if (!offlineShown && !panel.hidden) { offlineShown = true; setTyping(false); add({ from: "note", text: t.offline }); }
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    };
  }
  function botSays(reply) {
    setTyping(false);
    if (reply.data_erased) return startAfresh(t.erased);
    if (safeDocument(reply.document)) return add({ from: "bot", document: reply.document });
    var attachment = reply.attachment || {};
    if (attachment.type === "image" && attachment.payload && safeImage(attachment.payload.src)) {
      return add({ from: "bot", image: attachment.payload.src });
    }
    var buttons = (reply.quick_replies || reply.buttons || []).filter(function (b) { return b && b.title; });
    if (reply.text || buttons.length) add({ from: "bot", text: reply.text || "", buttons: buttons });
  }
  function userSays(shown, payload) {
    add({ from: "user", text: shown });
    send(payload);
    setTyping(true);
  }

  // ---- controls ---------------------------------------------------------------------------
  function open() {
    panel.hidden = false; launcher.hidden = true; launcher.setAttribute("aria-expanded", "true");
    state.open = true; save();
    if (!ws) connect();
    input.focus();
  }
  function shut() {
    panel.hidden = true; launcher.hidden = false; launcher.setAttribute("aria-expanded", "false");
    state.open = false; save();
    launcher.focus();
  }
  launcher.addEventListener("click", open);
  close.addEventListener("click", shut);
  panel.addEventListener("keydown", function (event) { if (event.key === "Escape") shut(); });
  function startAfresh(note) { // forget the secret: reconnecting makes the server start a new conversation
    state = { log: [], open: true }; save(); renderAll();
    if (note) add({ from: "note", text: note });
    offlineShown = true; retryMs = 100; // a planned reconnect, not an outage
    if (ws) ws.close();
  }
  restart.addEventListener("click", function () { startAfresh(); input.focus(); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    userSays(text, text);
  });

  function mount() {
    document.body.appendChild(host);
    renderAll();
    if (state.open || data.open === "true") open();
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
