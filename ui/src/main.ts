// Entry point: mounts the app shell into #app.
import { mount } from 'svelte'
import App from './App.svelte'
import { askEarly } from './lib/earlyAsk'
import './app.css'

// The first view's data is asked for while the app is still being mounted.
askEarly()

const target = document.getElementById('app')
if (!target) throw new Error('missing #app element')
export default mount(App, { target })
