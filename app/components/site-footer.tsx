import { Link } from '@remix-run/react'

/**
 * Who runs the platform, on every page including error pages. The centre's street address
 * and service telephone belong here too once the operator confirms them; invented ones would
 * send people to the wrong door, so until then the footer points to the terms, which say how
 * personal data is handled and how to reach the operator through an account.
 */
const operator = '西安科技大市场服务中心'
const supervisor = '西安市科学技术局'

export function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p className="site-footer__brand">西安科技大市场 · 科技成果就地转化服务平台</p>
        <address className="site-footer__contact">
          <span>运营单位：{operator}</span>
          <span>指导单位：{supervisor}</span>
          <span>
            <Link to="/terms">服务条款与隐私政策</Link>
          </span>
          <span>
            <Link to="/developers">开放接口</Link>
          </span>
        </address>
      </div>
    </footer>
  )
}
