// The site's search worker: Material's own worker (same folder, named by ?m=), wrapped.
// - A page or row that holds the query as typed (the exact phrase) ranks above one that only
//   holds its characters scattered: Material segments a Chinese query into index tokens and ORs
//   them, so "动火作业" also finds every "作业".
// - Each snippet is cut to a short window around its first hit (a register row can be long).
// Nothing here fetches anything: it only reorders and trims what Material's worker returns.
(function () {
  "use strict";
  var SETUP = 0, QUERY = 2, RESULT = 3;
  var BEFORE = 40, AFTER = 110;   // visible characters kept before and after the first hit
  var name = new URL(self.location.href).searchParams.get("m") || "";
  if (!/^search\.[0-9a-f]+\.min\.js$/.test(name)) throw new Error("anquan-search: unexpected worker " + name);

  var plain = {};     // location -> title and text as plain, lower-case text
  var raw = {};       // location -> the entry's text as indexed (escaped HTML)
  var queries = [];   // queries in the order they were sent; each gets exactly one result

  function decode(s) {
    return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"")
      .replace(/&#0?39;/g, "'").replace(/&amp;/g, "&");
  }
  function norm(html) {
    return decode(String(html || "").replace(/<[^>]*>/g, " ")).replace(/\u200b/g, "")
      .replace(/\s+/g, " ").toLowerCase();
  }
  function phrases(q) {
    return String(q).split(/\s+/).filter(function (p) { return p && p.charAt(0) !== "-"; })
      .map(function (p) {
        return p.replace(/^\++/, "").replace(/^(title|text|tags):/, "").replace(/[~^]\d*$/, "")
          .replace(/[*"]/g, "").toLowerCase();
      })
      .filter(function (p) { return p.length > 0; });
  }
  function contains(text, parts) {
    return parts.every(function (p) { return text.indexOf(p) !== -1; });
  }

  // A short window of highlighted HTML around its first <mark>: only text, entities and marks.
  function snippet(html, parts) {
    var s = String(html || "").replace(/\u200b/g, "")
      .replace(/<(?!\/?mark>)[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    var tokens = s.match(/<\/?mark>|&[#\w]+;|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g) || [];
    var first = tokens.indexOf("<mark>");
    var visible = function (t) { return t !== "<mark>" && t !== "</mark>"; };
    var start = 0, end = tokens.length, n;
    if (first === -1) first = 0;
    // centre on the phrase as typed, where the text holds it
    var seen = "", at = [];
    tokens.forEach(function (t, i) { if (visible(t)) { seen += decode(t).toLowerCase(); at.push(i); } });
    var hit = parts && parts.length ? seen.indexOf(parts[0]) : -1;
    if (hit !== -1 && hit < at.length) first = at[hit];
    for (n = 0, start = first; start > 0 && n < BEFORE; start--) if (visible(tokens[start - 1])) n++;
    var open = false;
    for (n = 0, end = first; end < tokens.length && n < AFTER; end++) if (visible(tokens[end])) n++;
    var out = tokens.slice(start, end);
    tokens.slice(0, start).forEach(function (t) { if (t === "<mark>") open = true; else if (t === "</mark>") open = false; });
    if (open) out.unshift("<mark>");
    open = false;
    out.forEach(function (t) { if (t === "<mark>") open = true; else if (t === "</mark>") open = false; });
    if (open) out.push("</mark>");
    return (start > 0 ? "…" : "") + out.join("") + (end < tokens.length ? "…" : "");
  }

  // The entry's own text with the phrase marked: Material highlights at most two blocks, which
  // need not be the one holding the phrase as typed.
  function marked(html, phrase) {
    var s = String(html || "").replace(/\u200b/g, "").replace(/<[^>]*>/g, " ").replace(/\s+/g, " ");
    var tokens = s.match(/&[#\w]+;|[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g) || [];
    var seen = "", at = [];
    tokens.forEach(function (t, i) { seen += decode(t).toLowerCase(); at.push(i); });
    var hit = seen.indexOf(phrase);
    if (hit === -1 || hit + phrase.length > at.length) return null;
    tokens[at[hit]] = "<mark>" + tokens[at[hit]];
    tokens[at[hit + phrase.length - 1]] += "</mark>";
    return tokens.join("");
  }

  function rerank(data, query) {
    var parts = phrases(query);
    var groups = (data.items || []).map(function (group) {
      var best = 0;
      group = group.map(function (item) {
        var title = norm(item.title);
        var tier = !parts.length ? 0 : contains(title, parts) ? 2
          : contains(title + " " + (plain[item.location] || norm(item.text)), parts) ? 1 : 0;
        var text = item.text;
        if (tier === 1 && norm(text).indexOf(parts[0]) === -1) text = marked(raw[item.location], parts[0]) || text;
        var copy = Object.assign({}, item, {
          title: String(item.title || "").replace(/\u200b/g, ""),
          text: snippet(text, parts),
          score: item.score + (item.score > 0 ? 1e6 * tier : 0)  // tiers first; Material's score within a tier
        });
        best = Math.max(best, copy.score);
        return copy;
      });
      group.sort(function (a, b) { return b.score - a.score; });
      return { best: best, group: group };
    });
    groups.sort(function (a, b) { return b.best - a.best; });  // stable: Material's order within a tier
    return Object.assign({}, data, { items: groups.map(function (g) { return g.group; }) });
  }

  self.addEventListener("message", function (ev) {
    var m = ev.data || {};
    if (m.type === SETUP && m.data && m.data.docs) {
      plain = {};
      raw = {};
      m.data.docs.forEach(function (d) {
        plain[d.location] = norm(d.title) + " " + norm(d.text);
        raw[d.location] = String(d.text || "");
      });
    } else if (m.type === QUERY) {
      queries.push(String(m.data || ""));
    }
  });

  var post = self.postMessage.bind(self);
  self.postMessage = function (m) {
    if (m && m.type === RESULT) {
      var query = queries.shift() || "";
      try { m = { type: RESULT, data: rerank(m.data || {}, query) }; } catch (e) { console.warn(e); }
    }
    post(m);
  };

  importScripts(name);
})();
