'use client'

import { useEffect } from 'react'
import { storedName } from '../../shared/ssr-sign-in.js'

/** On the form: a browser that is signed in already (another tab, an earlier visit) goes straight to its room. */
export function ResumeSignIn({ httpUrl }: { httpUrl: string }) {
  useEffect(() => {
    const name = storedName(httpUrl)
    if (name) location.replace(`?${new URLSearchParams({ name }).toString()}`)
  }, [httpUrl])
  return null
}
