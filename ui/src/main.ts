// Entry point: mounts the app shell into #app, once the window's language has its texts.
import { mount } from 'svelte'
import App from './App.svelte'
import { askEarly } from './lib/earlyAsk'
import { loadLocale } from './lib/i18n.svelte'
import { preferredLocale } from './lib/prefs.svelte'
import './app.css'
import { pageMark } from './lib/startupProbe'

pageMark('script')

// Fonts are chosen per platform (app.css): marked before the first style is computed.
if (/\bLinux\b/.test(navigator.userAgent) && !/\bAndroid\b/.test(navigator.userAgent)) {
  document.documentElement.dataset.platform = 'linux'
}

// The first view's data is asked for while the app is still being mounted.
askEarly()

const target = document.getElementById('app')
if (!target) throw new Error('missing #app element')
// A failed load leaves English, which the window always has.
void loadLocale(preferredLocale())
  .catch(() => {})
  .then(() => {
    mount(App, { target })
    pageMark('mounted')
  })
