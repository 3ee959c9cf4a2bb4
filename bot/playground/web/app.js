// Berdaya playground web chat: plays a Telegram app for the chosen persona.
//
// Safety rule: chat text only ever reaches the page as text nodes (see entities.js).

import { el } from "./entities.js";
import { dayOf, renderRow } from "./messages.js";

const $ = (id) => document.getElementById(id);
const state = {
  personas: [],
  current: null,
  rows: new Map(),      // message_id -> row element of the current persona's chat
  unread: new Map(),    // persona -> bot messages not yet seen
  keyboardOpen: true,
  keyboard: null,
  typingTimer: null,
  toastTimer: null,
  lastDay: null,
  loading: null,        // events that arrive while a chat loads, replayed after it rendered
};

// ------------------------------------------------------------------ server calls

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `HTTP ${response.status}`);
  return data;
}

function act(action, body = {}) {
  return api(`/api/chat/${state.current}/${action}`, body).catch((error) => {
    toast(`Gagal: ${error.message}`, "error");
    throw error;
  });
}

// What a tap on something inside a message does (messages.js stays free of server calls).
const ACTIONS = {
  tap: (messageId, data) => act("tap", { message_id: messageId, data }),
  command: (command) => { sendText(command).catch(() => {}); },
};

function nearBottom() {
  const chat = $("chat");
  return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120;
}

function scrollDown() {
  const chat = $("chat");
  chat.scrollTop = chat.scrollHeight;
}

// A keyboard appearing shrinks the chat; whoever was reading the newest message keeps seeing it.
function keepBottomOnResize() {
  const chat = $("chat");
  let atBottom = true;
  chat.addEventListener("scroll", () => { atBottom = nearBottom(); }, { passive: true });
  new ResizeObserver(() => { if (atBottom) scrollDown(); }).observe(chat);
}

function upsert(message) {
  const existing = state.rows.get(message.message_id);
  if (message.deleted) {
    if (existing) existing.remove();
    state.rows.delete(message.message_id);
    updateEmpty();
    return;
  }
  const row = renderRow(message, ACTIONS);
  const stick = nearBottom();
  if (existing) {
    existing.replaceWith(row);
    state.rows.set(message.message_id, row);
    row.classList.add("flash");
    if (stick) scrollDown();
    return;
  }
  const day = dayOf(message.date);
  if (day !== state.lastDay) {
    $("messages").appendChild(el("div", "day", day));
    state.lastDay = day;
  }
  $("messages").appendChild(row);
  state.rows.set(message.message_id, row);
  updateEmpty();
  if (stick || !message.from_bot) scrollDown();
}

function updateEmpty() {
  const empty = state.rows.size === 0;
  $("empty").hidden = !empty;
  $("start-button").hidden = !empty;
  $("composer").hidden = empty;
}

// ------------------------------------------------------------------ reply keyboard

function renderKeyboard(keyboard) {
  state.keyboard = keyboard;
  const box = $("keyboard");
  box.replaceChildren();
  $("text").placeholder = (keyboard && keyboard.placeholder) || "Tulis pesan…";
  $("keyboard-toggle").hidden = !keyboard;
  if (!keyboard) {
    box.hidden = true;
    return;
  }
  for (const row of keyboard.rows) {
    const line = el("div", "rk-row");
    for (const button of row) {
      const request = button.request_contact || button.request_location;
      const b = el("button", `rk-button${request ? " request" : ""}`, button.text);
      b.type = "button";
      b.addEventListener("click", () => act("press", { label: button.text }).catch(() => {}));
      line.appendChild(b);
    }
    box.appendChild(line);
  }
  box.hidden = !state.keyboardOpen;
  $("keyboard-toggle").setAttribute("aria-expanded", String(state.keyboardOpen));
}

function toggleKeyboard() {
  state.keyboardOpen = !state.keyboardOpen;
  renderKeyboard(state.keyboard);
}

// ------------------------------------------------------------------ personas

function renderPersonas() {
  const nav = $("personas");
  nav.replaceChildren();
  for (const persona of state.personas) {
    const b = el("button", "persona");
    b.type = "button";
    b.dataset.persona = persona.key;
    b.title = `${persona.name} — ${persona.title}`;
    b.setAttribute("aria-pressed", String(persona.key === state.current));
    b.appendChild(el("span", "p-name", persona.name.split(" ")[0]));
    b.appendChild(el("span", "p-role", persona.title.split(" · ")[0]));
    const unread = state.unread.get(persona.key) || 0;
    if (unread && persona.key !== state.current) b.appendChild(el("span", "unread", String(unread)));
    b.addEventListener("click", () => switchPersona(persona.key));
    nav.appendChild(b);
  }
}

async function switchPersona(key) {
  state.current = key;
  const persona = state.personas.find((p) => p.key === key);
  $("empty-persona").textContent = `Anda: ${persona.name} — ${persona.title}`;
  state.unread.set(key, 0);
  localStorage.setItem("berdaya.persona", key);
  history.replaceState(null, "", `#${key}`);
  renderPersonas();
  closePopups();
  await loadChat();
}

async function loadChat() {
  const key = state.current;
  state.loading = [];
  const data = await api(`/api/chat/${key}`).catch((error) => {
    state.loading = null;
    throw error;
  });
  if (key !== state.current) return;   // the visitor switched again meanwhile
  const missed = state.loading;
  state.loading = null;
  $("messages").replaceChildren();
  state.rows.clear();
  state.lastDay = null;
  for (const message of data.messages) upsert(message);
  updateEmpty();
  renderKeyboard(data.keyboard);
  for (const event of missed) onEvent(event);
  scrollDown();
}

// ------------------------------------------------------------------ live updates

function setStatus(text, className = "") {
  const status = $("status");
  status.textContent = text;
  status.className = `status ${className}`;
}

function onEvent(event) {
  if (state.loading && event.persona === state.current) {
    state.loading.push(event);
    return;
  }
  if (event.persona !== state.current) {
    if (event.type === "message" && event.message && event.message.from_bot) {
      state.unread.set(event.persona, (state.unread.get(event.persona) || 0) + 1);
      renderPersonas();
    }
    return;
  }
  switch (event.type) {
    case "message":
    case "edit":
    case "delete":
    case "reaction":
      if (event.message) upsert(event.message);
      if (event.type === "message" && event.message.from_bot) {
        clearTimeout(state.typingTimer);
        setStatus("bot");
      }
      break;
    case "keyboard":
      state.keyboardOpen = true;   // a keyboard the bot just sent is shown, as Telegram does
      renderKeyboard(event.keyboard);
      break;
    case "chat_action":
      setStatus(event.action === "typing" ? "mengetik…" : "mengirim…", "typing");
      clearTimeout(state.typingTimer);
      state.typingTimer = setTimeout(() => setStatus("bot"), 5000);
      break;
    case "callback_answer": {
      const row = event.message && state.rows.get(event.message.message_id);
      if (row) row.querySelectorAll(".ik-button.pending").forEach((b) => b.classList.remove("pending"));
      if (event.answer && event.answer.text) toast(event.answer.text, event.answer.show_alert ? "alert" : "");
      break;
    }
    default:
      break;
  }
}

function connect() {
  const source = new EventSource("/api/events");
  source.addEventListener("open", () => {
    setStatus("bot");
    loadChat().catch(() => {});   // whatever happened before the stream (re)opened
  });
  source.addEventListener("message", (e) => onEvent(JSON.parse(e.data)));
  source.addEventListener("error", () => setStatus("menghubungkan ulang…", "offline"));
}

// ------------------------------------------------------------------ composer and menus

function toast(text, kind = "") {
  const box = $("toast");
  box.textContent = text;
  box.className = `toast ${kind}`;
  box.hidden = false;
  clearTimeout(state.toastTimer);
  if (kind !== "alert") state.toastTimer = setTimeout(() => { box.hidden = true; }, 2500);
}

function sendText(text) {
  const trimmed = text.trim();
  if (!trimmed) return Promise.resolve();
  return act("send", { text: trimmed });
}

function closePopups() {
  for (const id of ["attach-menu", "commands-menu"]) $(id).hidden = true;
  $("attach-button").setAttribute("aria-expanded", "false");
}

async function openCommands() {
  const menu = $("commands-menu");
  if (!menu.hidden) { closePopups(); return; }
  closePopups();
  const { commands } = await api(`/api/chat/${state.current}/commands`);
  menu.replaceChildren();
  if (!commands.length) menu.appendChild(el("button", "", "Belum ada perintah"));
  for (const command of commands) {
    const b = el("button");
    b.type = "button";
    b.appendChild(el("span", "c-name", `/${command.command}`));
    b.appendChild(el("span", "c-desc", command.description));
    b.addEventListener("click", () => { closePopups(); sendText(`/${command.command}`).catch(() => {}); });
    menu.appendChild(b);
  }
  menu.hidden = false;
}

function setUp() {
  keepBottomOnResize();
  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $("text");
    const text = input.value;
    if (!text.trim()) return;
    sendText(text).then(() => { input.value = ""; }).catch(() => {});
  });
  $("start-button").addEventListener("click", () => sendText("/start").catch(() => {}));
  $("keyboard-toggle").addEventListener("click", toggleKeyboard);
  $("menu-button").addEventListener("click", () => openCommands().catch(() => {}));
  $("attach-button").addEventListener("click", () => {
    const menu = $("attach-menu");
    const open = menu.hidden;
    closePopups();
    menu.hidden = !open;
    $("attach-button").setAttribute("aria-expanded", String(open));
  });
  $("attach-menu").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (!button) return;
    closePopups();
    act(button.dataset.action).catch(() => {});
  });
  $("toast").addEventListener("click", () => { $("toast").hidden = true; });
  $("chat").addEventListener("click", closePopups);
}

async function main() {
  setUp();
  const data = await api("/api/personas");
  $("bot-name").textContent = data.bot.name;
  document.title = `${data.bot.name} · Playground`;
  state.personas = data.personas;
  const wanted = location.hash.slice(1) || localStorage.getItem("berdaya.persona");
  const first = state.personas.find((p) => p.key === wanted) || state.personas[0];
  await switchPersona(first.key);
  connect();
}

main().catch((error) => toast(`Playground tidak bisa dimuat: ${error.message}`, "error"));
