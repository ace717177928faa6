// Visitors' display preferences: the elderly-friendly mode (适老化模式) and the
// accessibility toolbar (无障碍: text size, high contrast, reading guide line).
// Loaded in <head> without `defer` so that a page is first painted in the
// visitor's mode, not restyled after a flash of the default one.
(() => {
  "use strict";
  const KEY = "gongkai-a11y";
  const SCALES = [1, 1.125, 1.25, 1.5, 1.75, 2];
  const DEFAULTS = { elderly: false, scale: 0, contrast: false, guide: false };
  const root = document.documentElement;

  function load() {
    try {
      return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(KEY) || "{}") };
    } catch {
      // Private windows may refuse storage; the page still works for this visit.
      return { ...DEFAULTS };
    }
  }

  let state = load();

  function save() {
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      /* see load() */
    }
  }

  // `?mode=elderly` / `?mode=normal` and `#elderly` let a link (a QR code on a
  // poster, a portal's banner) open the site in the mode it promises.
  function modeFromUrl() {
    const mode = new URLSearchParams(location.search).get("mode");
    if (mode === "elderly" || mode === "适老化") return true;
    if (mode === "normal" || mode === "标准") return false;
    return location.hash === "#elderly" ? true : null;
  }

  function apply() {
    state.scale = Math.min(Math.max(Number(state.scale) || 0, 0), SCALES.length - 1);
    root.toggleAttribute("data-elderly", state.elderly);
    root.toggleAttribute("data-contrast", state.contrast);
    root.style.setProperty("--text-scale", String(SCALES[state.scale]));
    if (state.scale === 0) root.style.removeProperty("--text-scale");
    if (document.body) render();
  }

  function render() {
    const toggle = document.getElementById("elderly-toggle");
    if (toggle) {
      toggle.setAttribute("role", "button");
      // The name stays the same; the pressed state (and its ✓) says whether it is on.
      toggle.setAttribute("aria-pressed", String(state.elderly));
    }
    for (const button of document.querySelectorAll("[data-a11y=contrast]")) button.setAttribute("aria-pressed", String(state.contrast));
    for (const button of document.querySelectorAll("[data-a11y=guide]")) button.setAttribute("aria-pressed", String(state.guide));
    const size = document.getElementById("a11y-size");
    if (size) size.textContent = `文字 ${Math.round(SCALES[state.scale] * 100)}%`;
    const smaller = document.querySelector("[data-a11y=smaller]");
    if (smaller) smaller.disabled = state.scale === 0;
    const larger = document.querySelector("[data-a11y=larger]");
    if (larger) larger.disabled = state.scale === SCALES.length - 1;
    showGuide(state.guide);
  }

  function change(update) {
    state = { ...state, ...update };
    save();
    apply();
  }

  const ACTIONS = {
    smaller: () => change({ scale: state.scale - 1 }),
    larger: () => change({ scale: state.scale + 1 }),
    contrast: () => change({ contrast: !state.contrast }),
    guide: () => change({ guide: !state.guide }),
    reset: () => change({ ...DEFAULTS }),
  };

  // The reading guide is a horizontal band that follows the pointer, or the
  // focused element for keyboard users, to keep the eye on one line.
  let guide = null;
  function showGuide(on) {
    if (on && !guide) {
      guide = document.createElement("div");
      guide.className = "reading-guide";
      guide.setAttribute("aria-hidden", "true");
      guide.style.top = "40vh";
      document.body.append(guide);
    } else if (!on && guide) {
      guide.remove();
      guide = null;
    }
  }
  function moveGuide(y) {
    if (guide) guide.style.top = `${Math.round(y)}px`;
  }

  // A table wider than the screen scrolls in its own box; keyboard users can only
  // scroll that box if it takes focus, so it does, with the caption as its name.
  // Boxes that fit stay out of the tab order.
  function markScrollingTables() {
    for (const box of document.querySelectorAll(".table-scroll")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      const caption = box.querySelector("caption")?.textContent.trim();
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? `${caption}(可左右滚动)` : "表格(可左右滚动)");
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  function wire() {
    const toggle = document.getElementById("elderly-toggle");
    toggle?.addEventListener("click", (event) => {
      event.preventDefault();
      change({ elderly: !state.elderly });
    });
    toggle?.addEventListener("keydown", (event) => {
      // role=button promises that Space works as well as Enter.
      if (event.key === " ") {
        event.preventDefault();
        toggle.click();
      }
    });
    const open = document.getElementById("a11y-toggle");
    const bar = document.getElementById("a11y-toolbar");
    if (open && bar) {
      open.hidden = false;
      open.addEventListener("click", () => {
        const expanded = open.getAttribute("aria-expanded") !== "true";
        open.setAttribute("aria-expanded", String(expanded));
        bar.hidden = !expanded;
      });
      bar.addEventListener("click", (event) => {
        const action = event.target.closest("[data-a11y]")?.dataset.a11y;
        if (action && ACTIONS[action]) ACTIONS[action]();
      });
      bar.addEventListener("keydown", (event) => {
        if (event.key === "Escape") {
          open.setAttribute("aria-expanded", "false");
          bar.hidden = true;
          open.focus();
        }
      });
    }
    markScrollingTables();
    addEventListener("resize", markScrollingTables);
    document.addEventListener("pointermove", (event) => moveGuide(event.clientY));
    document.addEventListener("focusin", (event) => {
      const rect = event.target.getBoundingClientRect?.();
      if (rect) moveGuide(rect.bottom);
    });
    render();
  }

  const fromUrl = modeFromUrl();
  if (fromUrl !== null && fromUrl !== state.elderly) {
    state.elderly = fromUrl;
    save();
  }
  // `#elderly` also switches the mode by CSS alone (for visitors without
  // scripts); once stored, drop it so that the toggle can switch the mode off.
  if (location.hash === "#elderly") history.replaceState(history.state, "", location.pathname + location.search);
  apply();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
  // Another tab changed the preferences: follow them.
  addEventListener("storage", (event) => {
    if (event.key === KEY) {
      state = load();
      apply();
    }
  });
})();
