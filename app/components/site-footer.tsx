/**
 * Who runs the platform and how to reach them. A government service names its operator and
 * a way to contact a person on every page, including error pages.
 */
export const operatorContact = {
  operator: '西安科技大市场服务中心',
  supervisor: '西安市科学技术局',
  address: '陕西省西安市高新区科技路 48 号',
  phone: '029-88338800',
  hours: '工作日 9:00–17:30',
}

export function SiteFooter() {
  const { operator, supervisor, address, phone, hours } = operatorContact
  return (
    <footer className="site-footer">
      <div className="site-footer__inner">
        <p className="site-footer__brand">西安科技大市场 · 科技成果就地转化服务平台</p>
        <address className="site-footer__contact">
          <span>运营单位：{operator}</span>
          <span>指导单位：{supervisor}</span>
          <span>地址：{address}</span>
          <span>
            服务电话：<a href={`tel:${phone}`}>{phone}</a>（{hours}）
          </span>
        </address>
      </div>
    </footer>
  )
}
