/* Timeline enhancement: starts on [data-module="timeline"].
   Without it the page is a complete list, and the overview a list of links.
   It adds: the overview stays in view and marks the milestone being read
   (aria-current); arriving at a milestone by any link (#1997, or the old
   #1997-title) moves to it, highlights it and opens its text; previous and
   next buttons; a theme filter kept in the URL (?theme=) with a status that
   names the theme; theme tags that apply the filter; show more / show less;
   the language switcher keeps the milestone. Every visible string comes from
   the data- attributes that the template fills from the gettext catalogues. */
(() => {
  "use strict";

  const init = (root) => {
    if (root.hasAttribute("data-module-initialised")) return;
    root.setAttribute("data-module-initialised", "");
    document.documentElement.classList.add("kbt-js");

    const text = root.dataset;
    const $ = (selector) => root.querySelector(selector);
    const $$ = (selector) => Array.from(root.querySelectorAll(selector));
    const items = $$(".kbt-timeline__item");
    const idOf = (item) => item.getAttribute("aria-labelledby");
    const bar = $(".kbt-timeline__bar");
    const axis = $(".kbt-timeline__axis");
    const marks = $$(".kbt-timeline__axis a");
    const filter = $(".kbt-timeline__filter");
    const reset = $(".kbt-timeline__reset");
    const status = $(".kbt-timeline__status");
    const motion = window.matchMedia("(prefers-reduced-motion: reduce)");
    const expanders = new Map();
    let current = null;
    // The milestone arrived at stays current until the reader scrolls it out of view.
    let pinned = null;
    let pinnedSeen = false;

    const decode = (hash) => {
      try {
        return decodeURIComponent(hash.replace(/^#/, ""));
      } catch {
        return "";
      }
    };
    const byId = (id) => items.find((item) => idOf(item) === id);
    // The milestone a fragment names: #1997, the old #1997-title, or anything inside it.
    const itemOf = (hash) => {
      const id = decode(hash);
      const element = id && document.getElementById(id);
      return byId(id) || (element && element.closest(".kbt-timeline__item")) || null;
    };
    const shown = () => items.filter((item) => !item.hidden);

    // The language switcher leads to the milestone of the address (arrived at by
    // a link, the back button or previous/next) in the other language.
    const syncSwitcher = () => {
      const item = itemOf(window.location.hash);
      document.querySelectorAll(".kbt-lang__link").forEach((link) => {
        const url = new URL(link.href, window.location.href);
        url.hash = item ? idOf(item) : "";
        url.search = window.location.search;
        link.href = url.href;
      });
    };

    const mark = (item) => {
      current = item;
      items.forEach((other) => {
        other.classList.toggle("kbt-timeline__item--current", other === item);
      });
      marks.forEach((link) => {
        const on = Boolean(item) && decode(link.hash) === idOf(item);
        if (on) {
          link.setAttribute("aria-current", "true");
          const left = link.offsetLeft - axis.offsetLeft;
          const right = axis.scrollLeft + axis.clientWidth;
          if (left < axis.scrollLeft || left + link.offsetWidth > right) {
            axis.scrollLeft = left - axis.clientWidth / 2;
          }
        } else {
          link.removeAttribute("aria-current");
        }
      });
      $$(".kbt-timeline__span").forEach((segment) => {
        const on = Boolean(item) && segment.dataset.of === idOf(item);
        segment.classList.toggle("kbt-timeline__span--on", on);
      });
      $$(".kbt-timeline__step").forEach((button) => {
        const list = shown();
        const next = list.indexOf(item) + Number(button.dataset.step);
        button.disabled = next < 0 || next >= list.length;
      });
    };

    const applyFilter = (theme, announce) => {
      const option = Array.from(filter.options).find((o) => o.value === theme);
      const value = option ? theme : "";
      filter.value = value;
      items.forEach((item) => {
        item.hidden = Boolean(value) && !item.dataset.themes.split(" ").includes(value);
        const expand = expanders.get(item);
        if (expand && value && !item.hidden) expand(true);
      });
      $$(".kbt-timeline__period").forEach((period) => {
        period.hidden = !period.querySelector(".kbt-timeline__item:not([hidden])");
      });
      marks.forEach((link) => {
        const item = itemOf(link.hash);
        link.classList.toggle("kbt-timeline__muted", Boolean(item && item.hidden));
      });
      reset.hidden = !value;
      if (value || announce) {
        status.textContent = (value ? text.statusTheme : text.statusAll)
          .replace("{count}", String(shown().length))
          .replace("{total}", String(items.length))
          .replace("{theme}", option && value ? option.dataset.name : "");
      }
      mark(current && !current.hidden ? current : null);
    };

    const setFilter = (theme) => {
      const url = new URL(window.location.href);
      if (theme) url.searchParams.set("theme", theme);
      else url.searchParams.delete("theme");
      url.hash = "";
      window.history.pushState(null, "", url.href);
      applyFilter(theme, true);
      syncSwitcher();
    };

    const arrive = (item, focus) => {
      if (!item) return;
      if (item.hidden) applyFilter("", true);
      const expand = expanders.get(item);
      if (expand) expand(true);
      mark(item);
      pinned = item;
      pinnedSeen = false;
      const heading = item.querySelector(".kbt-timeline__heading");
      heading.tabIndex = -1;
      if (focus) heading.focus({ preventScroll: true });
      syncSwitcher();
      heading.scrollIntoView({ behavior: motion.matches ? "auto" : "smooth", block: "start" });
    };

    const step = (by) => {
      const list = shown();
      const next = list[list.indexOf(current) + by];
      if (!next) return;
      window.history.replaceState(null, "", `#${encodeURIComponent(idOf(next))}`);
      arrive(next, false);
    };

    // Show more / show less for milestones of more than one paragraph that lie
    // below the window when the script starts: what the reader already sees stays
    // as it is, so nothing moves.
    const below = items.filter((item) => item.getBoundingClientRect().top > window.innerHeight);
    below.forEach((item) => {
      const body = item.querySelector(".kbt-timeline__body");
      if (!body || body.children.length < 2) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kbt-timeline__toggle";
      button.setAttribute("aria-controls", body.id);
      button.setAttribute("aria-describedby", idOf(item));
      const set = (open) => {
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? text.labelLess : text.labelMore;
        body.classList.toggle("kbt-timeline__body--collapsed", !open);
      };
      button.addEventListener("click", () => set(button.getAttribute("aria-expanded") !== "true"));
      body.after(button);
      expanders.set(item, set);
      set(false);
    });

    // Theme tags become buttons that apply the filter.
    $$(".kbt-timeline__theme").forEach((tag) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kbt-timeline__theme-button";
      button.textContent = tag.textContent;
      button.addEventListener("click", () => {
        const item = tag.closest(".kbt-timeline__item");
        setFilter(tag.dataset.theme);
        arrive(item, false);
      });
      tag.replaceChildren(button);
    });

    // The milestone being read: the last shown one whose top has passed below the
    // bar, or the one arrived at while it is still in view.
    const spy = () => {
      const line = bar.getBoundingClientRect().bottom + 8;
      if (pinned && !pinned.hidden) {
        const box = pinned.getBoundingClientRect();
        if (box.bottom > line && box.top < window.innerHeight) pinnedSeen = true;
        else if (pinnedSeen) pinned = null;
        if (pinned) return;
      }
      const list = shown();
      let reading = list[0] || null;
      for (const item of list) {
        if (item.getBoundingClientRect().top > line) break;
        reading = item;
      }
      if (reading !== current) mark(reading);
    };
    let waiting = false;
    window.addEventListener(
      "scroll",
      () => {
        if (waiting) return;
        waiting = true;
        window.requestAnimationFrame(() => {
          waiting = false;
          spy();
        });
      },
      { passive: true },
    );

    ["wheel", "touchstart"].forEach((type) => {
      window.addEventListener(type, () => { pinned = null; }, { passive: true });
    });

    root.addEventListener("click", (event) => {
      const link = event.target.closest('a[href^="#"]');
      const item = link && itemOf(link.hash);
      if (!item) return;
      event.preventDefault();
      window.history.pushState(null, "", `#${encodeURIComponent(idOf(item))}`);
      arrive(item, true);
    });
    $$(".kbt-timeline__step").forEach((button) => {
      button.addEventListener("click", () => step(Number(button.dataset.step)));
    });
    filter.addEventListener("change", () => setFilter(filter.value));
    reset.addEventListener("click", () => {
      setFilter("");
      filter.focus();
    });

    const restore = () => {
      applyFilter(new URLSearchParams(window.location.search).get("theme") || "", false);
      const item = itemOf(window.location.hash);
      if (item && decode(window.location.hash) !== idOf(item)) {
        window.history.replaceState(null, "", `#${encodeURIComponent(idOf(item))}`);
      }
      if (item) arrive(item, true);
      else spy();
      syncSwitcher();
    };
    window.addEventListener("hashchange", () => arrive(itemOf(window.location.hash), true));
    window.addEventListener("popstate", restore);
    restore();
  };

  const start = () => {
    document.querySelectorAll('[data-module="timeline"]').forEach(init);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
