/* Timeline enhancement: starts on [data-module="timeline"].
   Without it the page is a complete ordered list with plain year links.
   It adds: moving to a milestone from the year links (highlight, URL),
   arrow keys / Home / End between milestones, a theme filter with a polite
   status, show more / show less for long texts, deep links, and keeps the
   language switcher at the same milestone. Every visible string comes from
   the data- attributes that the template fills from the gettext catalogues. */
(() => {
  "use strict";

  const init = (root) => {
    if (root.hasAttribute("data-module-initialised")) return;
    root.setAttribute("data-module-initialised", "");
    document.documentElement.classList.add("kbt-js");

    const text = root.dataset;
    const list = root.querySelector(".kbt-timeline__list");
    const items = Array.from(list.querySelectorAll(":scope > .kbt-timeline__item"));
    const links = Array.from(root.querySelectorAll(".kbt-timeline__year-link"));
    const controls = root.querySelector(".kbt-timeline__controls");
    const filter = root.querySelector(".kbt-timeline__filter");
    const status = root.querySelector(".kbt-timeline__status");
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
    const expanders = new Map();

    const idOf = (hash) => {
      try {
        return decodeURIComponent(hash.replace(/^#/, ""));
      } catch {
        return "";
      }
    };
    const byId = (id) => items.find((item) => item.id === id);
    const shown = () => items.filter((item) => !item.hidden);

    // One milestone is in the tab order; arrow keys move between them.
    const setTabStop = (target) => {
      items.forEach((item) => {
        item.tabIndex = item === target ? 0 : -1;
      });
    };

    const focusItem = (item) => {
      setTabStop(item);
      item.focus({ preventScroll: true });
      item.scrollIntoView({
        behavior: reduceMotion.matches ? "auto" : "smooth",
        block: "nearest",
      });
    };

    const highlight = (item) => {
      items.forEach((other) => {
        other.classList.toggle("kbt-timeline__item--current", other === item);
      });
      links.forEach((link) => {
        if (item && idOf(link.hash) === item.id) {
          link.setAttribute("aria-current", "location");
        } else {
          link.removeAttribute("aria-current");
        }
      });
    };

    // The language switcher leads to the same milestone in the other language.
    const syncSwitcher = () => {
      const id = idOf(window.location.hash);
      document.querySelectorAll(".kbt-lang__link").forEach((link) => {
        const url = new URL(link.href, window.location.href);
        url.hash = byId(id) ? id : "";
        link.href = url.href;
      });
    };

    const applyFilter = () => {
      const theme = filter.value;
      items.forEach((item) => {
        const themes = (item.dataset.themes || "").split(" ");
        item.hidden = Boolean(theme) && !themes.includes(theme);
      });
      links.forEach((link) => {
        const item = byId(idOf(link.hash));
        link.parentElement.hidden = Boolean(item && item.hidden);
      });
      const visible = shown();
      if (visible.length && !visible.some((item) => item.tabIndex === 0)) {
        setTabStop(visible[0]);
      }
      status.textContent = text.statusTemplate
        .replace("{count}", String(visible.length))
        .replace("{total}", String(items.length));
    };

    const goTo = (id, push) => {
      const item = byId(id);
      if (!item) return;
      if (item.hidden) {
        filter.value = "";
        applyFilter();
      }
      const expand = expanders.get(item);
      if (expand) expand(true);
      highlight(item);
      focusItem(item);
      if (push && idOf(window.location.hash) !== id) {
        window.history.pushState(null, "", `#${encodeURIComponent(id)}`);
      }
      syncSwitcher();
    };

    // Show more / show less for milestones of more than one paragraph.
    items.forEach((item) => {
      const body = item.querySelector(".kbt-timeline__body");
      if (!body || body.children.length < 2) return;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "kbt-timeline__toggle";
      button.setAttribute("aria-controls", body.id);
      button.setAttribute("aria-describedby", `${item.id}-title`);
      const set = (open) => {
        button.setAttribute("aria-expanded", String(open));
        button.textContent = open ? text.labelLess : text.labelMore;
        body.classList.toggle("kbt-timeline__body--collapsed", !open);
      };
      button.addEventListener("click", () => {
        set(button.getAttribute("aria-expanded") !== "true");
      });
      body.after(button);
      expanders.set(item, set);
      set(false);
    });

    list.addEventListener("keydown", (event) => {
      const item = event.target;
      if (!items.includes(item) || event.altKey || event.ctrlKey || event.metaKey) return;
      const visible = shown();
      const index = visible.indexOf(item);
      const moves = {
        ArrowDown: visible[index + 1],
        ArrowRight: visible[index + 1],
        ArrowUp: visible[index - 1],
        ArrowLeft: visible[index - 1],
        Home: visible[0],
        End: visible[visible.length - 1],
      };
      if (!(event.key in moves)) return;
      event.preventDefault();
      const next = moves[event.key];
      if (next) {
        highlight(next);
        focusItem(next);
      }
    });

    list.addEventListener("focusin", (event) => {
      if (items.includes(event.target)) setTabStop(event.target);
    });

    links.forEach((link) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        goTo(idOf(link.hash), true);
      });
    });

    window.addEventListener("hashchange", () => goTo(idOf(window.location.hash), false));
    filter.addEventListener("change", applyFilter);

    setTabStop(items[0]);
    controls.hidden = false;
    applyFilter();
    if (byId(idOf(window.location.hash))) {
      goTo(idOf(window.location.hash), false);
    }
    syncSwitcher();
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
