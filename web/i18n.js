// Interface texts in Uzbek (Latin, with the proper oʻ gʻ: U+02BB), Russian and
// English, the current language (default uz, remembered in localStorage), and
// the formatting of numbers, dates and names that depends on it.

export const LANGS = [
	{ code: 'uz', label: 'Oʻzbekcha', short: 'Oʻz' },
	{ code: 'ru', label: 'Русский', short: 'Рус' },
	{ code: 'en', label: 'English', short: 'Eng' },
];

const STORE_KEY = 'posbon.lang';

const STRINGS = {
	uz: {
		'app.title': 'Posbon — tuman xaritasi',
		'app.subtitle': 'Hududiy profilaktika xaritasi',
		'login.title': 'Tizimga kirish',
		'login.token': 'Kirish tokeni',
		'login.hint': 'Tokenni tizim maʼmuridan oling.',
		'login.submit': 'Kirish',
		'login.busy': 'Tekshirilmoqda…',
		'login.bad': 'Token notoʻgʻri yoki muddati tugagan.',
		'login.forbidden': 'Bu token bilan xaritani koʻrishga ruxsat yoʻq.',
		'login.offline': 'Server bilan aloqa yoʻq. Keyinroq urinib koʻring.',
		'logout': 'Chiqish',
		'panel.hide': 'Panelni yopish',
		'panel.show': 'Panelni ochish',
		'period': 'Davr',
		'period.24h': '24 soat',
		'period.7d': '7 kun',
		'period.30d': '30 kun',
		'period.custom': 'Boshqa',
		'period.from': 'Dan',
		'period.to': 'Gacha',
		'period.last24h': 'soʻnggi 24 soat',
		'period.last7d': 'soʻnggi 7 kun',
		'period.last30d': 'soʻnggi 30 kun',
		'hours': 'Smena soatlari',
		'hours.all': 'Butun kun',
		'hours.day': 'Kunduzgi',
		'hours.night': 'Tungi',
		'hours.from': 'Boshlanishi',
		'hours.to': 'Tugashi',
		'hours.any': '—',
		'weekdays': 'Hafta kunlari',
		'weekdays.short': ['Du', 'Se', 'Ch', 'Pa', 'Ju', 'Sh', 'Ya'],
		'weekdays.long': ['Dushanba', 'Seshanba', 'Chorshanba', 'Payshanba', 'Juma', 'Shanba', 'Yakshanba'],
		'layers': 'Qatlamlar',
		'layer.districts': 'Tuman chegarasi',
		'layer.mahallas': 'Mahallalar',
		'layer.heatmap': 'Issiqlik xaritasi',
		'layer.choropleth': 'Mahalla koʻrsatkichlari',
		'layer.offences': 'Huquqbuzarliklar',
		'layer.zones': 'Patrul zonalari',
		'layer.tracks': 'Patrul GPS izlari',
		'metric.count': 'soni',
		'metric.rate': '1000 aholiga',
		'metric.change': 'oʻzgarish',
		'categories': 'Huquqbuzarlik turlari',
		'services': 'Xizmatlar',
		'all': 'Hammasi',
		'none.left': 'Kamida bittasi tanlangan boʻlishi kerak',
		'legend': 'Shartli belgilar',
		'legend.heat': 'Zichlik, huquqbuzarlik / km²',
		'legend.heat.period': '{days} kun uchun',
		'legend.choropleth.count': 'Huquqbuzarliklar soni',
		'legend.choropleth.rate': '1000 aholiga huquqbuzarliklar',
		'legend.choropleth.change': 'Oldingi davrga nisbatan oʻzgarish',
		'legend.boundary.district': 'Tuman chegarasi',
		'legend.boundary.mahalla': 'Mahalla chegarasi',
		'legend.unavailable': 'maʼlumot yoʻq',
		'status.live': 'Jonli',
		'status.connecting': 'Ulanmoqda…',
		'status.offline': 'Aloqa uzildi',
		'status.updated': 'Oxirgi yangilanish',
		'status.new': { other: '+{n} yangi huquqbuzarlik' },
		'status.error': 'Server xatosi',
		'data.range': 'Maʼlumotlar',
		'user': 'Foydalanuvchi',
		'role.viewer': 'kuzatuvchi',
		'role.officer': 'navbatchi',
		'role.planner': 'rejalashtiruvchi',
		'role.admin': 'maʼmur',
		'card.close': 'Yopish',
		'card.loading': 'Yuklanmoqda…',
		'card.population': 'Aholi',
		'card.inspector': 'Profilaktika inspektori',
		'card.offences': { other: 'huquqbuzarlik' },
		'card.rate': '1000 aholiga',
		'card.change': 'oldingi davrga nisbatan',
		'card.previous': 'oldin: {n}',
		'card.by_category': 'Turlari boʻyicha',
		'card.by_service': 'Xizmatlar boʻyicha',
		'card.none': 'Bu davrda qayd etilmagan',
		'card.outside': 'Bu nuqta hech bir mahallaga kirmaydi',
		'card.no_change': 'oʻzgarishsiz',
		'card.without': 'koʻrsatilmagan',
		'map.fit': 'Butun tuman',
		'plan.mode': 'Rejalashtirish rejimi',
		'plan.preset.day': 'Kunduzgi',
		'plan.preset.evening': 'Kechki',
		'plan.preset.night': 'Tungi',
		'plan.start': 'Smena boshlanishi',
		'plan.end': 'Smena tugashi',
		'plan.weekdays': 'Smena boshlanadigan kunlar',
		'plan.training': 'Tahlil davri',
		'plan.weeks': { other: 'soʻnggi {n} hafta' },
		'plan.snap': 'Mahalla chegaralariga yopishtirish',
		'plan.hint': 'Xaritadagi koʻpburchak tugmasi bilan zona chizing; zonani bosib, topshiriqlarini oʻzgartiring.',
		'plan.undo': 'Oxirgi oʻzgarishni bekor qilish',
		'plan.undone': 'Oxirgi oʻzgarish bekor qilindi',
		'plan.zones': { other: 'smenada {n} zona' },
		'plan.hotspots': { other: '{n} ta qaynoq nuqta' },
		'zone.title': 'Zona',
		'zone.new': 'Yangi zona',
		'zone.name': 'Nomi',
		'zone.valid_from': 'Amal qilish boshi',
		'zone.valid_to': 'Amal qilish oxiri',
		'zone.assignments': 'Topshiriqlar (bir nechta xizmat — birgalikdagi patrul)',
		'zone.add': '+ Topshiriq qoʻshish',
		'zone.save': 'Saqlash',
		'zone.cancel': 'Bekor qilish',
		'zone.delete': 'Zonani oʻchirish',
		'zone.service': 'Xizmat',
		'zone.unit': 'Boʻlinma',
		'zone.start': 'Boshlanishi',
		'zone.end': 'Tugashi',
		'zone.weekdays': 'Hafta kunlari',
		'zone.remove_row': 'Topshiriqni olib tashlash',
		'zone.saved': 'Zona saqlandi',
		'zone.deleted': 'Zona oʻchirildi',
		'zone.split': { other: 'Zona {n} ta zonaga boʻlindi' },
		'overlap.title': 'Zonalar ustma-ust tushmoqda',
		'overlap.text': 'Bu zona shu smenadagi boshqa xizmatlarning zonalari bilan kesishadi:',
		'overlap.back': 'Orqaga',
		'overlap.save': 'Baribir saqlash',
		'pm.firstVertex': 'Birinchi nuqtani qoʻyish uchun bosing',
		'pm.continueLine': 'Chizishni davom ettirish uchun bosing',
		'pm.finishPoly': 'Tugatish uchun birinchi nuqtani bosing',
		'pm.finish': 'Tugatish',
		'pm.cancel': 'Bekor qilish',
		'pm.removeLastVertex': 'Oxirgi nuqtani olib tashlash',
		'pm.drawPolyButton': 'Zona chizish',
		'pm.editButton': 'Zonalar shaklini oʻzgartirish',
		'pm.cutButton': 'Zonani kesish yoki boʻlish',
		'pm.deleteButton': 'Zonani oʻchirish',
	},
	ru: {
		'app.title': 'Посбон — карта района',
		'app.subtitle': 'Карта территориальной профилактики',
		'login.title': 'Вход в систему',
		'login.token': 'Токен доступа',
		'login.hint': 'Токен выдаёт администратор системы.',
		'login.submit': 'Войти',
		'login.busy': 'Проверка…',
		'login.bad': 'Неверный или просроченный токен.',
		'login.forbidden': 'С этим токеном просмотр карты не разрешён.',
		'login.offline': 'Нет связи с сервером. Повторите попытку позже.',
		'logout': 'Выйти',
		'panel.hide': 'Скрыть панель',
		'panel.show': 'Показать панель',
		'period': 'Период',
		'period.24h': '24 часа',
		'period.7d': '7 дней',
		'period.30d': '30 дней',
		'period.custom': 'Другой',
		'period.from': 'С',
		'period.to': 'По',
		'period.last24h': 'последние 24 часа',
		'period.last7d': 'последние 7 дней',
		'period.last30d': 'последние 30 дней',
		'hours': 'Часы смены',
		'hours.all': 'Круглосуточно',
		'hours.day': 'Дневная',
		'hours.night': 'Ночная',
		'hours.from': 'Начало',
		'hours.to': 'Конец',
		'hours.any': '—',
		'weekdays': 'Дни недели',
		'weekdays.short': ['Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб', 'Вс'],
		'weekdays.long': ['Понедельник', 'Вторник', 'Среда', 'Четверг', 'Пятница', 'Суббота', 'Воскресенье'],
		'layers': 'Слои',
		'layer.districts': 'Граница района',
		'layer.mahallas': 'Махалли',
		'layer.heatmap': 'Тепловая карта',
		'layer.choropleth': 'Показатели махаллей',
		'layer.offences': 'Правонарушения',
		'layer.zones': 'Зоны патрулирования',
		'layer.tracks': 'GPS-треки патрулей',
		'metric.count': 'количество',
		'metric.rate': 'на 1000 жителей',
		'metric.change': 'изменение',
		'categories': 'Виды правонарушений',
		'services': 'Службы',
		'all': 'Все',
		'none.left': 'Должен быть выбран хотя бы один пункт',
		'legend': 'Условные обозначения',
		'legend.heat': 'Плотность, правонарушений / км²',
		'legend.heat.period': 'за {days} дн.',
		'legend.choropleth.count': 'Число правонарушений',
		'legend.choropleth.rate': 'Правонарушений на 1000 жителей',
		'legend.choropleth.change': 'Изменение к предыдущему периоду',
		'legend.boundary.district': 'Граница района',
		'legend.boundary.mahalla': 'Граница махалли',
		'legend.unavailable': 'нет данных',
		'status.live': 'Онлайн',
		'status.connecting': 'Подключение…',
		'status.offline': 'Нет связи',
		'status.updated': 'Последнее обновление',
		'status.new': { one: '+{n} новое правонарушение', few: '+{n} новых правонарушения', other: '+{n} новых правонарушений' },
		'status.error': 'Ошибка сервера',
		'data.range': 'Данные',
		'user': 'Пользователь',
		'role.viewer': 'наблюдатель',
		'role.officer': 'дежурный',
		'role.planner': 'планировщик',
		'role.admin': 'администратор',
		'card.close': 'Закрыть',
		'card.loading': 'Загрузка…',
		'card.population': 'Население',
		'card.inspector': 'Инспектор профилактики',
		'card.offences': { one: 'правонарушение', few: 'правонарушения', other: 'правонарушений' },
		'card.rate': 'на 1000 жителей',
		'card.change': 'к предыдущему периоду',
		'card.previous': 'было: {n}',
		'card.by_category': 'По видам',
		'card.by_service': 'По службам',
		'card.none': 'За период не зарегистрировано',
		'card.outside': 'Эта точка не входит ни в одну махаллю',
		'card.no_change': 'без изменений',
		'card.without': 'не указано',
		'map.fit': 'Весь район',
		'plan.mode': 'Режим планирования',
		'plan.preset.day': 'Дневная',
		'plan.preset.evening': 'Вечерняя',
		'plan.preset.night': 'Ночная',
		'plan.start': 'Начало смены',
		'plan.end': 'Конец смены',
		'plan.weekdays': 'Дни начала смены',
		'plan.training': 'Период анализа',
		'plan.weeks': { one: 'последняя {n} неделя', few: 'последние {n} недели', other: 'последние {n} недель' },
		'plan.snap': 'Привязка к границам махаллей',
		'plan.hint': 'Нарисуйте зону кнопкой многоугольника на карте; щёлкните по зоне, чтобы изменить её наряды.',
		'plan.undo': 'Отменить последнее изменение',
		'plan.undone': 'Последнее изменение отменено',
		'plan.zones': { one: '{n} зона в смене', few: '{n} зоны в смене', other: '{n} зон в смене' },
		'plan.hotspots': { one: '{n} очаг', few: '{n} очага', other: '{n} очагов' },
		'zone.title': 'Зона',
		'zone.new': 'Новая зона',
		'zone.name': 'Название',
		'zone.valid_from': 'Действует с',
		'zone.valid_to': 'Действует по',
		'zone.assignments': 'Наряды (несколько служб — совместное патрулирование)',
		'zone.add': '+ Добавить наряд',
		'zone.save': 'Сохранить',
		'zone.cancel': 'Отмена',
		'zone.delete': 'Удалить зону',
		'zone.service': 'Служба',
		'zone.unit': 'Подразделение',
		'zone.start': 'Начало',
		'zone.end': 'Конец',
		'zone.weekdays': 'Дни недели',
		'zone.remove_row': 'Убрать наряд',
		'zone.saved': 'Зона сохранена',
		'zone.deleted': 'Зона удалена',
		'zone.split': { one: 'Зона разделена на {n} зону', few: 'Зона разделена на {n} зоны', other: 'Зона разделена на {n} зон' },
		'overlap.title': 'Зоны перекрываются',
		'overlap.text': 'Эта зона перекрывает зоны других служб в той же смене:',
		'overlap.back': 'Вернуться',
		'overlap.save': 'Всё равно сохранить',
		'pm.firstVertex': 'Щёлкните, чтобы поставить первую вершину',
		'pm.continueLine': 'Щёлкните, чтобы продолжить',
		'pm.finishPoly': 'Щёлкните по первой вершине, чтобы завершить',
		'pm.finish': 'Завершить',
		'pm.cancel': 'Отмена',
		'pm.removeLastVertex': 'Убрать последнюю вершину',
		'pm.drawPolyButton': 'Нарисовать зону',
		'pm.editButton': 'Изменить форму зон',
		'pm.cutButton': 'Вырезать часть или разделить зону',
		'pm.deleteButton': 'Удалить зону',
	},
	en: {
		'app.title': 'Posbon — district map',
		'app.subtitle': 'Territorial crime-prevention map',
		'login.title': 'Sign in',
		'login.token': 'Access token',
		'login.hint': 'The system administrator issues tokens.',
		'login.submit': 'Sign in',
		'login.busy': 'Checking…',
		'login.bad': 'The token is wrong or has expired.',
		'login.forbidden': 'This token may not view the map.',
		'login.offline': 'The server cannot be reached. Try again later.',
		'logout': 'Sign out',
		'panel.hide': 'Hide panel',
		'panel.show': 'Show panel',
		'period': 'Period',
		'period.24h': '24 h',
		'period.7d': '7 days',
		'period.30d': '30 days',
		'period.custom': 'Custom',
		'period.from': 'From',
		'period.to': 'To',
		'period.last24h': 'last 24 hours',
		'period.last7d': 'last 7 days',
		'period.last30d': 'last 30 days',
		'hours': 'Shift hours',
		'hours.all': 'All day',
		'hours.day': 'Day',
		'hours.night': 'Night',
		'hours.from': 'Start',
		'hours.to': 'End',
		'hours.any': '—',
		'weekdays': 'Weekdays',
		'weekdays.short': ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'],
		'weekdays.long': ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
		'layers': 'Layers',
		'layer.districts': 'District boundary',
		'layer.mahallas': 'Mahallas',
		'layer.heatmap': 'Heatmap',
		'layer.choropleth': 'Mahalla figures',
		'layer.offences': 'Offences',
		'layer.zones': 'Patrol zones',
		'layer.tracks': 'Patrol GPS tracks',
		'metric.count': 'count',
		'metric.rate': 'per 1,000 residents',
		'metric.change': 'change',
		'categories': 'Offence categories',
		'services': 'Services',
		'all': 'All',
		'none.left': 'Keep at least one selected',
		'legend': 'Legend',
		'legend.heat': 'Density, offences / km²',
		'legend.heat.period': 'over {days} days',
		'legend.choropleth.count': 'Offences',
		'legend.choropleth.rate': 'Offences per 1,000 residents',
		'legend.choropleth.change': 'Change against the previous period',
		'legend.boundary.district': 'District boundary',
		'legend.boundary.mahalla': 'Mahalla boundary',
		'legend.unavailable': 'not available',
		'status.live': 'Live',
		'status.connecting': 'Connecting…',
		'status.offline': 'Connection lost',
		'status.updated': 'Last update',
		'status.new': { one: '+{n} new offence', other: '+{n} new offences' },
		'status.error': 'Server error',
		'data.range': 'Data',
		'user': 'User',
		'role.viewer': 'viewer',
		'role.officer': 'duty officer',
		'role.planner': 'planner',
		'role.admin': 'administrator',
		'card.close': 'Close',
		'card.loading': 'Loading…',
		'card.population': 'Population',
		'card.inspector': 'Prevention inspector',
		'card.offences': { one: 'offence', other: 'offences' },
		'card.rate': 'per 1,000 residents',
		'card.change': 'against the previous period',
		'card.previous': 'before: {n}',
		'card.by_category': 'By category',
		'card.by_service': 'By service',
		'card.none': 'None registered in the period',
		'card.outside': 'This point is in no mahalla',
		'card.no_change': 'no change',
		'card.without': 'not given',
		'map.fit': 'Whole district',
		'plan.mode': 'Planning mode',
		'plan.preset.day': 'Day',
		'plan.preset.evening': 'Evening',
		'plan.preset.night': 'Night',
		'plan.start': 'Shift starts',
		'plan.end': 'Shift ends',
		'plan.weekdays': 'Days the shift starts on',
		'plan.training': 'Training period',
		'plan.weeks': { one: 'last {n} week', other: 'last {n} weeks' },
		'plan.snap': 'Snap to mahalla boundaries',
		'plan.hint': 'Draw a zone with the polygon button on the map; click a zone to change its assignments.',
		'plan.undo': 'Undo the last change',
		'plan.undone': 'The last change was undone',
		'plan.zones': { one: '{n} zone in the shift', other: '{n} zones in the shift' },
		'plan.hotspots': { one: '{n} hotspot', other: '{n} hotspots' },
		'zone.title': 'Zone',
		'zone.new': 'New zone',
		'zone.name': 'Name',
		'zone.valid_from': 'Valid from',
		'zone.valid_to': 'Valid to',
		'zone.assignments': 'Assignments (several services: a joint patrol)',
		'zone.add': '+ Add an assignment',
		'zone.save': 'Save',
		'zone.cancel': 'Cancel',
		'zone.delete': 'Delete the zone',
		'zone.service': 'Service',
		'zone.unit': 'Unit',
		'zone.start': 'Start',
		'zone.end': 'End',
		'zone.weekdays': 'Weekdays',
		'zone.remove_row': 'Remove the assignment',
		'zone.saved': 'Zone saved',
		'zone.deleted': 'Zone deleted',
		'zone.split': { one: 'The zone was split into {n} zone', other: 'The zone was split into {n} zones' },
		'overlap.title': 'Overlapping zones',
		'overlap.text': 'This zone overlaps zones of other services in the same shift:',
		'overlap.back': 'Back',
		'overlap.save': 'Save anyway',
		'pm.firstVertex': 'Click to place the first corner',
		'pm.continueLine': 'Click to go on drawing',
		'pm.finishPoly': 'Click the first corner to finish',
		'pm.finish': 'Finish',
		'pm.cancel': 'Cancel',
		'pm.removeLastVertex': 'Remove the last corner',
		'pm.drawPolyButton': 'Draw a zone',
		'pm.editButton': 'Reshape zones',
		'pm.cutButton': 'Cut or split a zone',
		'pm.deleteButton': 'Delete a zone',
	},
};

/* Number formats. Uzbek writes 1 234,5 like Russian; Chromium's ICU data
 * claims 'uz' but formats it like English, so uz borrows ru-RU's separators. */
const LOCALES = { uz: 'ru-RU', ru: 'ru-RU', en: 'en-GB' };

let current = 'uz';
try {
	const saved = localStorage.getItem(STORE_KEY);
	if (saved && STRINGS[saved]) current = saved;
} catch {
	/* storage disabled: stay with the default */
}

const listeners = new Set();

export function lang() {
	return current;
}

/* Switches the language, remembers it and tells every listener. */
export function setLang(code) {
	if (!STRINGS[code] || code === current) return;
	current = code;
	try {
		localStorage.setItem(STORE_KEY, code);
	} catch {
		/* not remembered, still switched */
	}
	document.documentElement.lang = code;
	for (const fn of listeners) fn(code);
}

export function onLangChange(fn) {
	listeners.add(fn);
}

/* The text of key in the current language (English, then the key, when
 * missing), with {name} placeholders filled from params. */
export function t(key, params) {
	let s = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
	if (params && typeof s === 'string')
		s = s.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m));
	return s;
}

/* The form of key for count n in the current language's plural rules (one,
 * few, many, other); a plain string is the same for every count. */
function pluralForm(key, n) {
	const forms = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
	if (typeof forms !== 'object' || Array.isArray(forms)) return String(forms);
	const cat = new Intl.PluralRules(current).select(Number(n));
	return forms[cat] ?? forms.other ?? '';
}

/* A text that depends on a count n, with {n} filled by the formatted number:
 * tn('status.new', 3) is "+3 новых правонарушения" in Russian. */
export function tn(key, n) {
	return pluralForm(key, n).replace('{n}', fmtNumber(n));
}

/* The word for n things without the number: plural('card.offences', 1). */
export function plural(key, n) {
	return pluralForm(key, n);
}

/* Fills every [data-i18n] element's text, [data-i18n-title] title and
 * aria-label, and [data-i18n-placeholder] placeholder under root. */
export function translate(root = document) {
	for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
	for (const el of root.querySelectorAll('[data-i18n-title]')) {
		el.title = t(el.dataset.i18nTitle);
		el.setAttribute('aria-label', el.title);
	}
	for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
		el.placeholder = t(el.dataset.i18nPlaceholder);
}

/* The name of a record with name_uz / name_ru / name_en in the current
 * language, falling back to the others and then to its code. */
export function nameOf(rec) {
	if (!rec) return '';
	return (
		rec[`name_${current}`] || rec.name_uz || rec.name_en || rec.name_ru || rec.name || rec.code || ''
	);
}

/* A number with the current language's separators. */
export function fmtNumber(n, digits = 0) {
	if (n === null || n === undefined || !Number.isFinite(Number(n))) return '—';
	return new Intl.NumberFormat(LOCALES[current], {
		minimumFractionDigits: digits,
		maximumFractionDigits: digits,
	}).format(Number(n));
}

/* Two significant digits for legend breaks: 66, 120, 2 500. */
export function fmtRound(n) {
	if (!Number.isFinite(n)) return '—';
	const a = Math.abs(n);
	if (a === 0) return '0';
	if (a < 10) return fmtNumber(n, a < 1 ? 2 : 1).replace(/[.,]0+$/, '');
	const p = 10 ** (Math.floor(Math.log10(a)) - 1);
	return fmtNumber(Math.round(n / p) * p);
}
