/* Site search (templates/search.html): Pagefind's JavaScript API, loaded from
   the site itself. Starts on [data-module="search"]; every string comes from
   its data- attributes, so the page's language decides the wording. Pagefind
   picks the index of the page's <html lang>. A page that names a kind for its
   parts (data-pagefind-meta="milestone:…", the timeline) is shown as one
   result per part that matched: each heading whose years carry the id
   "<heading id>-when", with those years as its date. */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var MAX_SUB_RESULTS = 3;

  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) {
      return name in values ? String(values[name]) : whole;
    });
  }

  /* An excerpt as DOM nodes: Pagefind marks hits with <mark>; everything
     else is taken as text, never as HTML. */
  function excerptNodes(excerpt) {
    var fragment = document.createDocumentFragment();
    var parts = String(excerpt || "").split(/(<mark>|<\/mark>)/);
    var marked = false;
    var scratch = document.createElement("textarea");
    parts.forEach(function (part) {
      if (part === "<mark>") { marked = true; return; }
      if (part === "</mark>") { marked = false; return; }
      if (!part) { return; }
      scratch.innerHTML = part.replace(/<[^>]*>/g, "");
      var text = document.createTextNode(plain(scratch.value));
      if (marked) {
        var mark = document.createElement("mark");
        mark.appendChild(text);
        fragment.appendChild(mark);
      } else {
        fragment.appendChild(text);
      }
    });
    return fragment;
  }

  var SOFT_HYPHEN = /\u00ad/g; /* typography of headings (plugins/hyphenate), not text */

  function plain(text) {
    return String(text || "").replace(SOFT_HYPHEN, "");
  }

  function link(url, text, className) {
    var a = document.createElement("a");
    a.href = url;
    a.className = className;
    a.textContent = plain(text);
    return a;
  }

  /* The results of one page: the page itself, or, for a page that names a kind
     for its parts, one result per part that matched (and the page only if
     words outside its parts matched too). A part keeps its heading's title
     without the years, which become its date. */
  function splitResult(data) {
    var kind = data.meta && data.meta.milestone;
    if (!kind) { return [data]; }
    var years = {};
    (data.anchors || []).forEach(function (anchor) {
      if (anchor.id) { years[anchor.id] = plain(anchor.text).trim(); }
    });
    var parts = [];
    var rest = [];
    (data.sub_results || []).forEach(function (sub) {
      var id = sub.anchor && sub.anchor.id;
      var when = id && years[id + "-when"];
      if (!when) { rest.push(sub); return; }
      var title = plain(sub.title).trim();
      if (title.indexOf(when) === 0) { title = title.slice(when.length).trim(); }
      parts.push({
        url: sub.url,
        meta: { title: title || when, kind: kind, date: when },
        excerpt: sub.excerpt,
        sub_results: []
      });
    });
    if (!parts.length) { return [data]; }
    if (rest.length) {
      var page = Object.assign({}, data, { sub_results: rest, excerpt: rest[0].excerpt });
      parts.push(page);
    }
    return parts;
  }

  function renderResult(data) {
    var item = document.createElement("li");
    item.className = "kbt-search__result";
    var title = document.createElement("h2");
    title.className = "kbt-search__title";
    title.appendChild(link(data.url, (data.meta && data.meta.title) || data.url, "kbt-search__link"));
    item.appendChild(title);
    /* The kind of page and its date, from data-pagefind-meta (base.html). */
    var facts = [data.meta && data.meta.kind, data.meta && data.meta.date].filter(Boolean);
    if (facts.length) {
      var meta = document.createElement("p");
      meta.className = "kbt-search__meta";
      meta.textContent = facts.join(" · ");
      item.appendChild(meta);
    }
    var excerpt = document.createElement("p");
    excerpt.className = "kbt-search__excerpt";
    excerpt.appendChild(excerptNodes(data.excerpt));
    item.appendChild(excerpt);
    var subs = (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && sub.url.indexOf("#") !== -1;
    }).slice(0, MAX_SUB_RESULTS);
    if (subs.length) {
      var list = document.createElement("ul");
      list.className = "kbt-search__subs";
      subs.forEach(function (sub) {
        var li = document.createElement("li");
        li.appendChild(link(sub.url, sub.title, "kbt-search__sublink"));
        var p = document.createElement("p");
        p.className = "kbt-search__excerpt";
        p.appendChild(excerptNodes(sub.excerpt));
        li.appendChild(p);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    return item;
  }

  function start(root) {
    var form = root.querySelector(".kbt-search__form");
    var input = root.querySelector(".kbt-search__input");
    var status = root.querySelector(".kbt-search__status");
    var results = root.querySelector(".kbt-search__results");
    var fallback = root.querySelector(".kbt-search__fallback");
    var msg = root.dataset;
    var pagefind = null;
    var latest = 0;
    var timer = null;

    var lastQuery = null;

    async function search(query) {
      query = query.trim();
      if (query === lastQuery) { return; } /* already shown: do not announce it again */
      lastQuery = query;
      var ticket = ++latest;
      results.replaceChildren();
      if (!query) { status.textContent = ""; return; }
      status.textContent = msg.msgSearching;
      var found = await pagefind.search(query);
      if (ticket !== latest) { return; }
      var all = found ? found.results : [];
      var pages = await Promise.all(all.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
      if (ticket !== latest) { return; }
      var data = [].concat.apply([], pages.map(splitResult));
      var count = all.length + data.length - pages.length;
      var template = count === 0 ? msg.msgNone : count === 1 ? msg.msgOne : msg.msgMany;
      status.textContent = format(template, { count: count, query: query });
      data.forEach(function (d) { results.appendChild(renderResult(d)); });
    }

    function fail(error) {
      lastQuery = null;
      status.textContent = msg.msgError;
      if (fallback) { fallback.hidden = false; }
      if (window.console) { window.console.error(error); }
    }

    /* Pagefind (its script, WebAssembly and index: about 90 KB) is loaded
       only when someone starts to search, so the page itself stays light. */
    var loading = null;
    function load() {
      if (!loading) {
        loading = import(msg.pagefind).then(function (module) {
          pagefind = module;
          return pagefind.init ? pagefind.init() : null;
        });
        loading.catch(function () { loading = null; });
      }
      return loading;
    }

    function searchSoon(query) {
      return load().then(function () { return search(query); }).catch(fail);
    }

    form.hidden = false;
    if (fallback) { fallback.hidden = true; }
    input.addEventListener("focus", function () { load().catch(fail); });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      window.clearTimeout(timer);
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url);
      searchSoon(input.value);
    });
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      load().catch(fail);
      timer = window.setTimeout(function () { searchSoon(input.value); }, 250);
    });
    var initial = new URLSearchParams(window.location.search).get("q");
    if (initial) {
      input.value = initial;
      searchSoon(initial);
    }
  }

  document.querySelectorAll('[data-module="search"]').forEach(start);
})();
