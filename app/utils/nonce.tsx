import { createContext, useContext } from 'react'

const NonceContext = createContext('')

export const NonceProvider = NonceContext.Provider

/** The per-request CSP nonce; empty in the browser, where scripts are already allowed. */
export function useNonce() {
  return useContext(NonceContext)
}
