// Bot formatting rebuilt as DOM nodes from a message's text and entities, as Telegram apps do.
//
// Safety rule: chat text only ever reaches the page as text nodes; nothing here parses HTML.

export const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
};

const SAFE_SCHEMES = ["http:", "https:", "tg:", "mailto:", "tel:"];

export function safeHref(url) {
  try {
    const parsed = new URL(url, "https://example.invalid/");
    if (!/^[a-z][a-z0-9+.-]*:/i.test(url)) return null;
    return SAFE_SCHEMES.includes(parsed.protocol) ? parsed.href : null;
  } catch (_) {
    return null;
  }
}

function link(href) {
  const safe = safeHref(href);
  if (!safe) return { node: el("span") };
  const a = el("a");
  a.href = safe;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.title = safe;
  return { node: a };
}

function entityNode(entity, segment, onCommand) {
  switch (entity.type) {
    case "bold": return { node: el("strong") };
    case "italic": return { node: el("em") };
    case "underline": return { node: el("u") };
    case "strikethrough": return { node: el("s") };
    case "code": return { node: el("code") };
    case "pre": {
      const pre = el("pre");
      const code = el("code");
      if (entity.language) code.dataset.language = entity.language;
      pre.appendChild(code);
      return { node: pre, inner: code };
    }
    case "spoiler": {
      const span = el("span", "spoiler");
      span.title = "Ketuk untuk melihat";
      span.addEventListener("click", () => span.classList.add("shown"));
      return { node: span };
    }
    case "blockquote":
    case "expandable_blockquote": return { node: el("blockquote") };
    case "text_link": return link(entity.url);
    case "url": return link(/^[a-z][a-z0-9+.-]*:/i.test(segment) ? segment : `https://${segment}`);
    case "email": return link(`mailto:${segment}`);
    case "phone_number": return link(`tel:${segment.replace(/[^+\d]/g, "")}`);
    case "mention": return link(`https://t.me/${segment.slice(1)}`);
    case "bot_command": {
      const span = el("span", "command");
      span.title = "Ketuk untuk mengirim";
      span.addEventListener("click", () => onCommand(segment));
      return { node: span };
    }
    case "hashtag":
    case "cashtag": return { node: el("span", "link") };
    default: return { node: el("span") };
  }
}

// Offsets and lengths are UTF-16 code units, which is what JavaScript strings index by.
function buildEntities(parent, text, entities, start, end, onCommand) {
  let pos = start;
  let i = 0;
  while (i < entities.length) {
    const entity = entities[i];
    const entityEnd = Math.min(entity.offset + entity.length, end);
    let j = i + 1;
    while (j < entities.length && entities[j].offset < entityEnd) j += 1;
    const entityStart = Math.max(entity.offset, pos);
    if (entityStart < entityEnd) {
      if (entityStart > pos) parent.appendChild(document.createTextNode(text.slice(pos, entityStart)));
      const segment = text.slice(entity.offset, entity.offset + entity.length);
      const { node, inner } = entityNode(entity, segment, onCommand);
      buildEntities(inner || node, text, entities.slice(i + 1, j), entityStart, entityEnd, onCommand);
      parent.appendChild(node);
      pos = entityEnd;
    }
    i = j;
  }
  if (pos < end) parent.appendChild(document.createTextNode(text.slice(pos, end)));
}

export function formattedText(text, entities, onCommand) {
  const node = el("div", "text");
  const sorted = (entities || [])
    .filter((e) => e.length > 0)
    .slice()
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  buildEntities(node, text, sorted, 0, text.length, onCommand);
  return node;
}
