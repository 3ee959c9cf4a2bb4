// One chat message as a bubble: media, formatted text, time, and its inline keyboard.

import { el, formattedText, safeHref } from "./entities.js";

function timeOf(date) {
  return new Date(date * 1000).toLocaleTimeString("id-ID", { hour: "2-digit", minute: "2-digit" });
}

export function dayOf(date) {
  const day = new Date(date * 1000);
  const today = new Date();
  if (day.toDateString() === today.toDateString()) return "Hari ini";
  return day.toLocaleDateString("id-ID", { weekday: "long", day: "numeric", month: "long" });
}

function bestPhoto(sizes) {
  const fitting = sizes.filter((s) => s.width <= 800);
  return fitting.length ? fitting[fitting.length - 1] : sizes[0];
}

function photoNode(sizes) {
  const best = bestPhoto(sizes);
  const largest = sizes[sizes.length - 1];
  const a = el("a", "photo");
  a.href = `/media/${encodeURIComponent(largest.file_id)}`;
  a.target = "_blank";
  a.rel = "noopener";
  const img = el("img");
  img.alt = "Foto";
  img.loading = "lazy";
  img.width = best.width;
  img.height = best.height;
  img.src = `/media/${encodeURIComponent(best.file_id)}`;
  img.addEventListener("load", () => {
    if (img.naturalWidth <= 2) {   // the stand-in pixel a simulated user "sends"
      a.classList.add("placeholder");
      a.replaceChildren(document.createTextNode("🖼️ Foto"));
    }
  });
  a.appendChild(img);
  return a;
}

function card(icon, title, sub, href) {
  const box = el(href ? "a" : "div", "card");
  if (href) {
    box.href = href;
    box.target = "_blank";
    box.rel = "noopener noreferrer";
  }
  box.appendChild(el("span", "card-icon", icon));
  const body = el("div");
  body.appendChild(el("div", "card-title", title));
  if (sub) body.appendChild(el("div", "card-sub", sub));
  box.appendChild(body);
  return box;
}

function sizeText(bytes) {
  if (!bytes) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function osm(lat, lon) {
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=15/${lat}/${lon}`;
}

function bubbleContent(message, actions) {
  const parts = [];
  if (message.photo && message.photo.length) parts.push(photoNode(message.photo));
  if (message.document) {
    const doc = message.document;
    parts.push(card("📄", doc.file_name || "Dokumen", sizeText(doc.file_size),
      `/media/${encodeURIComponent(doc.file_id)}`));
  }
  if (message.venue) {
    const v = message.venue;
    parts.push(card("📍", v.title, v.address, osm(v.location.latitude, v.location.longitude)));
  } else if (message.location) {
    const l = message.location;
    parts.push(card("📍", "Lokasi", `${l.latitude.toFixed(5)}, ${l.longitude.toFixed(5)}`,
      osm(l.latitude, l.longitude)));
  }
  if (message.contact) {
    const c = message.contact;
    parts.push(card("👤", [c.first_name, c.last_name].filter(Boolean).join(" "), c.phone_number));
  }
  if (message.sticker) parts.push(el("div", "sticker", message.sticker.emoji || "🖼️"));
  if (message.voice) {
    const seconds = message.voice.duration || 0;
    parts.push(card("🎤", "Pesan suara", `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`));
  }
  const text = message.text ?? message.caption;
  if (text) {
    // The user's own words are plain text; only the bot's carry formatting entities.
    parts.push(message.from_bot
      ? formattedText(text, message.entities, actions.command)
      : formattedText(text, [], actions.command));
  }
  return parts;
}

function inlineKeyboard(message, actions) {
  const rows = message.inline_keyboard || [];
  if (!rows.length) return null;
  const box = el("div", "inline-keyboard");
  for (const row of rows) {
    const line = el("div", "ik-row");
    for (const button of row) {
      if (button.url) {
        const href = safeHref(button.url);
        const a = el(href ? "a" : "button", "ik-button link", button.text);
        if (href) {
          a.href = href;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
        } else {
          a.disabled = true;
        }
        line.appendChild(a);
        continue;
      }
      const b = el("button", "ik-button", button.text);
      b.type = "button";
      if (button.callback_data !== undefined) {
        b.addEventListener("click", () => {
          b.classList.add("pending");
          actions.tap(message.message_id, button.callback_data)
            .catch(() => b.classList.remove("pending"));
        });
      } else {
        b.disabled = true;
        b.title = "Tidak didukung di playground";
      }
      line.appendChild(b);
    }
    box.appendChild(line);
  }
  return box;
}

export function renderRow(message, actions) {
  const row = el("div", `row ${message.from_bot ? "in" : "out"}`);
  row.dataset.messageId = message.message_id;
  if (message.sticker && !message.text && !message.caption) row.classList.add("sticker-row");
  const bubble = el("div", "bubble");
  bubble.append(...bubbleContent(message, actions));
  const meta = el("span", "meta", `${message.edited ? "diedit " : ""}${timeOf(message.date)}`);
  bubble.appendChild(meta);
  row.appendChild(bubble);
  const keyboard = inlineKeyboard(message, actions);
  if (keyboard) row.appendChild(keyboard);
  return row;
}
