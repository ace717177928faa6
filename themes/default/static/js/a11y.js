// Visitors' display preferences: the elderly-friendly mode (适老化模式) and the
// accessibility toolbar (无障碍: text size, high contrast, reading guide line,
// extra-large cursor), and reading the page aloud (语音阅读).
// Loaded in <head> without `defer` so that a page is first painted in the
// visitor's mode, not restyled after a flash of the default one.
(() => {
  "use strict";
  const KEY = "gongkai-a11y";
  const SCALES = [1, 1.125, 1.25, 1.5, 1.75, 2];
  // `cursor: null` means "as the mode says": the extra-large cursor is part of the
  // elderly-friendly mode, and a visitor's own choice in either mode wins.
  const DEFAULTS = { elderly: false, scale: 0, contrast: false, guide: false, cursor: null };
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

  function bigCursor() {
    return state.cursor ?? state.elderly;
  }

  function apply() {
    state.scale = Math.min(Math.max(Number(state.scale) || 0, 0), SCALES.length - 1);
    root.toggleAttribute("data-elderly", state.elderly);
    root.toggleAttribute("data-contrast", state.contrast);
    root.toggleAttribute("data-cursor", bigCursor());
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
    for (const button of document.querySelectorAll("[data-a11y=cursor]")) button.setAttribute("aria-pressed", String(bigCursor()));
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
    cursor: () => change({ cursor: !bigCursor() }),
    reset: () => change({ ...DEFAULTS }),
    speak: () => (speech.state === "idle" ? startReading() : stopReading("已停止")),
    pause: () => togglePause(),
    stop: () => stopReading("已停止"),
  };

  // 语音阅读: the browser's own speech synthesis reads the main text (what
  // <main> shows, in reading order: innerText leaves out hidden elements and
  // scripts) in a Chinese voice. Chrome cuts an utterance off after about 15 s,
  // so the text is queued a sentence at a time, and an overlong sentence in
  // pieces broken at a comma or a gap where there is one.
  const SENTENCE_END = /(?<=[。！？；!?;\n])(?![。！？；!?;\n”’」』）)])/;
  const PIECE = 100;
  const STATUS = { idle: "", speaking: "正在朗读", paused: "已暂停" };
  const speech = { state: "idle", session: 0, queue: [] };

  function canSpeak() {
    return Boolean(window.speechSynthesis) && typeof window.SpeechSynthesisUtterance === "function";
  }

  // A mainland voice first (zh-CN, zh-Hans, cmn-Hans-CN), else any Chinese one.
  function chineseVoice() {
    const voices = speechSynthesis.getVoices().filter((voice) => /^(zh|cmn)([-_]|$)/i.test(voice.lang));
    return voices.find((voice) => /^(zh|cmn)[-_](cn|hans)/i.test(voice.lang)) ?? voices[0] ?? null;
  }

  function pieces(sentence) {
    const out = [];
    let rest = [...sentence];
    while (rest.length > PIECE) {
      let cut = PIECE;
      for (let i = PIECE - 1; i >= PIECE / 2; i--) {
        if (/[，、：,:\s]/.test(rest[i])) {
          cut = i + 1;
          break;
        }
      }
      out.push(rest.slice(0, cut).join(""));
      rest = rest.slice(cut);
    }
    out.push(rest.join(""));
    return out;
  }

  function sentences(text) {
    return text
      .split(SENTENCE_END)
      .flatMap((sentence) => pieces(sentence))
      .map((piece) => piece.trim())
      .filter(Boolean);
  }

  function startReading() {
    const voice = chineseVoice();
    const text = document.querySelector("main")?.innerText ?? "";
    if (!voice) return;
    speechSynthesis.cancel();
    const session = ++speech.session;
    // Held here until read: Chrome may drop an utterance nothing refers to, and
    // then never says that it ended.
    speech.queue = sentences(text).map((sentence) => {
      const utterance = new SpeechSynthesisUtterance(sentence);
      utterance.lang = "zh-CN";
      utterance.voice = voice;
      return utterance;
    });
    const last = speech.queue.at(-1);
    if (!last) {
      showSpeech("idle", "没有可朗读的内容");
      return;
    }
    for (const event of ["end", "error"]) {
      last.addEventListener(event, () => {
        if (session === speech.session) stopReading("朗读完毕");
      });
    }
    showSpeech("speaking");
    for (const utterance of speech.queue) speechSynthesis.speak(utterance);
  }

  function stopReading(status) {
    const paused = speech.state === "paused";
    speech.session++;
    speech.queue = [];
    speechSynthesis.cancel();
    // Chrome stays paused after cancel() and would hold back the next reading.
    if (paused) speechSynthesis.resume();
    showSpeech("idle", status);
  }

  function togglePause() {
    if (speech.state === "speaking") {
      speechSynthesis.pause();
      showSpeech("paused");
    } else if (speech.state === "paused") {
      speechSynthesis.resume();
      showSpeech("speaking");
    }
  }

  // The read button is pressed while reading; pause and stop show only then. A
  // control hidden under the keyboard focus hands it to the read button.
  function showSpeech(next, status = STATUS[next]) {
    speech.state = next;
    const box = document.getElementById("a11y-speech");
    if (!box) return;
    const reading = next !== "idle";
    const focused = document.activeElement;
    const read = box.querySelector("[data-a11y=speak]");
    const pause = box.querySelector("[data-a11y=pause]");
    read?.setAttribute("aria-pressed", String(reading));
    if (pause) pause.textContent = next === "paused" ? "继续朗读" : "暂停朗读";
    for (const control of box.querySelectorAll("[data-a11y=pause], [data-a11y=stop]")) control.hidden = !reading;
    if (focused?.hidden && box.contains(focused)) read?.focus();
    const live = document.getElementById("a11y-speech-status");
    if (live) live.textContent = status;
  }

  // Offered only where the browser can read Chinese; its voices may arrive
  // after the page has loaded.
  function wireSpeech() {
    if (!canSpeak()) return;
    const offer = () => {
      const box = document.getElementById("a11y-speech");
      if (box) box.hidden = !chineseVoice();
    };
    offer();
    speechSynthesis.addEventListener("voiceschanged", offer);
    addEventListener("pagehide", () => {
      if (speech.state !== "idle") stopReading("已停止");
    });
  }

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
    wireSpeech();
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
