// A stand-in for the browser's speech synthesis, installed with
// `context.addInitScript(speechStub, options)`: headless Chromium has no voices,
// and a test must see what the page asked to be read. Every call is logged in
// sessionStorage, so that the log outlives a navigation; `speechLog()` reads it.
// `speechSynthesis.finish()` ends every queued utterance as an engine would, and
// `speechSynthesis.addVoices()` delivers voices that `late` held back.

/** Voices as engines name them: a Chinese one to find among others. */
export const VOICES = {
  chinese: [
    { name: "Samantha", lang: "en-US" },
    { name: "Mei-Jia", lang: "zh-TW" },
    { name: "Ting-Ting", lang: "zh-CN" },
  ],
  english: [{ name: "Samantha", lang: "en-US" }],
};

/** Runs in the page, before its scripts. `voices: null` takes speech synthesis away. */
export function speechStub({ voices, late = false }) {
  const KEY = "speech-stub-log";
  const read = () => JSON.parse(sessionStorage.getItem(KEY) || "[]");
  const record = (call) => sessionStorage.setItem(KEY, JSON.stringify([...read(), call]));
  window.speechLog = read;
  if (voices === null) {
    Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
    return;
  }
  // The fields of a SpeechSynthesisVoice that pages read.
  const complete = () => voices.map((voice) => ({ voiceURI: voice.name, localService: true, default: false, ...voice }));
  class Utterance extends EventTarget {
    constructor(text = "") {
      super();
      this.text = text;
      this.lang = "";
      this.voice = null;
    }
  }
  class Synthesis extends EventTarget {
    queue = [];
    paused = false;
    available = late ? [] : complete();
    get speaking() {
      return this.queue.length > 0;
    }
    getVoices() {
      return this.available;
    }
    speak(utterance) {
      this.queue.push(utterance);
      record({ call: "speak", text: utterance.text, lang: utterance.lang, voice: utterance.voice?.name ?? null });
    }
    cancel() {
      this.queue = [];
      record({ call: "cancel" });
    }
    pause() {
      this.paused = true;
      record({ call: "pause" });
    }
    resume() {
      this.paused = false;
      record({ call: "resume" });
    }
    finish() {
      const done = this.queue;
      this.queue = [];
      for (const utterance of done) utterance.dispatchEvent(new Event("end"));
    }
    addVoices() {
      this.available = complete();
      this.dispatchEvent(new Event("voiceschanged"));
    }
  }
  Object.defineProperty(window, "speechSynthesis", { value: new Synthesis(), configurable: true });
  Object.defineProperty(window, "SpeechSynthesisUtterance", { value: Utterance, configurable: true, writable: true });
}
