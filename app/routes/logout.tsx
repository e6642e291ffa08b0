import { redirect, type ActionFunctionArgs } from '@remix-run/node'

import { endUserSession } from '~/server/auth.server'

export async function loader() {
  // Logging out changes state, so it is a POST; a GET only goes home.
  return redirect('/')
}

export async function action({ request }: ActionFunctionArgs) {
  return endUserSession(request)
}
