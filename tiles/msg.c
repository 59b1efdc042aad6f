/*
 * msg: one row per text: the key, then Uzbek, Russian, English. The rows
 * are read by tests/web/test_msg.mjs as well: keep each row one
 * designated initializer of string literals.
 */
#include "msg.h"

#include <string.h>
#include <strings.h>

struct row {
	const char *key;
	const char *text[MSG_LANGS];
};

static const struct row rows[MSG_COUNT] = {
    [MSG_PERIOD] = {"period", {"Davr", "Период", "Period"}},
    [MSG_LEGEND] = {"legend", {"Shartli belgilar", "Условные обозначения", "Legend"}},
    [MSG_CARD_INSPECTOR] = {"card.inspector",
                            {"Profilaktika inspektori", "Инспектор профилактики",
                             "Prevention inspector"}},
    [MSG_LAYER_ZONES] = {"layer.zones", {"Patrul zonalari", "Зоны патрулирования", "Patrol zones"}},
    [MSG_LAYER_TRACKS] = {"layer.tracks",
                          {"Patrul GPS izlari", "GPS-треки патрулей", "Patrol GPS tracks"}},
    [MSG_LAYER_HEATMAP] = {"layer.heatmap", {"Issiqlik xaritasi", "Тепловая карта", "Heatmap"}},
    [MSG_LAYER_OFFENCES] = {"layer.offences", {"Huquqbuzarliklar", "Правонарушения", "Offences"}},
    [MSG_LAYER_CHOROPLETH] = {"layer.choropleth",
                              {"Mahalla koʻrsatkichlari", "Показатели махаллей",
                               "Mahalla figures"}},
    [MSG_LEGEND_BOUNDARY_DISTRICT] = {"legend.boundary.district",
                                      {"Tuman chegarasi", "Граница района", "District boundary"}},
    [MSG_LEGEND_BOUNDARY_MAHALLA] = {"legend.boundary.mahalla",
                                     {"Mahalla chegarasi", "Граница махалли", "Mahalla boundary"}},
    [MSG_LEGEND_TRENDS] = {"legend.trends",
                           {"Paydo boʻlayotgan qaynoq va sovuq nuqtalar",
                            "Возникающие горячие и холодные точки", "Emerging hot and cold spots"}},
    [MSG_LEGEND_CHOROPLETH_COUNT] = {"legend.choropleth.count",
                                     {"Huquqbuzarliklar soni", "Число правонарушений", "Offences"}},
    [MSG_LEGEND_CHOROPLETH_RATE] = {"legend.choropleth.rate",
                                    {"1000 aholiga huquqbuzarliklar",
                                     "Правонарушений на 1000 жителей",
                                     "Offences per 1,000 residents"}},
    [MSG_GISTAR_LAYER] = {"gistar.layer",
                          {"Gi* qaynoq va sovuq nuqtalar (statistik ahamiyatli)",
                           "Горячие и холодные точки Gi* (статистически значимые)",
                           "Gi* hot and cold spots (statistically significant)"}},
    [MSG_TRENDS_HOT_NEW] = {"trends.hot.new",
                            {"Yangi qaynoq nuqta", "Новая горячая точка", "New hot spot"}},
    [MSG_TRENDS_HOT_CONSECUTIVE] = {"trends.hot.consecutive",
                                    {"Ketma-ket qaynoq nuqta", "Последовательная горячая точка",
                                     "Consecutive hot spot"}},
    [MSG_TRENDS_HOT_INTENSIFYING] = {"trends.hot.intensifying",
                                     {"Kuchayayotgan qaynoq nuqta", "Усиливающаяся горячая точка",
                                      "Intensifying hot spot"}},
    [MSG_TRENDS_HOT_PERSISTENT] = {"trends.hot.persistent",
                                   {"Doimiy qaynoq nuqta", "Устойчивая горячая точка",
                                    "Persistent hot spot"}},
    [MSG_TRENDS_HOT_DIMINISHING] = {"trends.hot.diminishing",
                                    {"Susayayotgan qaynoq nuqta", "Ослабевающая горячая точка",
                                     "Diminishing hot spot"}},
    [MSG_TRENDS_HOT_SPORADIC] = {"trends.hot.sporadic",
                                 {"Vaqti-vaqti bilan qaynoq nuqta", "Спорадическая горячая точка",
                                  "Sporadic hot spot"}},
    [MSG_TRENDS_HOT_OSCILLATING] = {"trends.hot.oscillating",
                                    {"Tebranuvchi qaynoq nuqta", "Колеблющаяся горячая точка",
                                     "Oscillating hot spot"}},
    [MSG_TRENDS_HOT_HISTORICAL] = {"trends.hot.historical",
                                   {"Tarixiy qaynoq nuqta", "Историческая горячая точка",
                                    "Historical hot spot"}},
    [MSG_TRENDS_COLD_NEW] = {"trends.cold.new",
                             {"Yangi sovuq nuqta", "Новая холодная точка", "New cold spot"}},
    [MSG_TRENDS_COLD_CONSECUTIVE] = {"trends.cold.consecutive",
                                     {"Ketma-ket sovuq nuqta", "Последовательная холодная точка",
                                      "Consecutive cold spot"}},
    [MSG_TRENDS_COLD_INTENSIFYING] = {"trends.cold.intensifying",
                                      {"Kuchayayotgan sovuq nuqta", "Усиливающаяся холодная точка",
                                       "Intensifying cold spot"}},
    [MSG_TRENDS_COLD_PERSISTENT] = {"trends.cold.persistent",
                                    {"Doimiy sovuq nuqta", "Устойчивая холодная точка",
                                     "Persistent cold spot"}},
    [MSG_TRENDS_COLD_DIMINISHING] = {"trends.cold.diminishing",
                                     {"Susayayotgan sovuq nuqta", "Ослабевающая холодная точка",
                                      "Diminishing cold spot"}},
    [MSG_TRENDS_COLD_SPORADIC] = {"trends.cold.sporadic",
                                  {"Vaqti-vaqti bilan sovuq nuqta", "Спорадическая холодная точка",
                                   "Sporadic cold spot"}},
    [MSG_TRENDS_COLD_OSCILLATING] = {"trends.cold.oscillating",
                                     {"Tebranuvchi sovuq nuqta", "Колеблющаяся холодная точка",
                                      "Oscillating cold spot"}},
    [MSG_TRENDS_COLD_HISTORICAL] = {"trends.cold.historical",
                                    {"Tarixiy sovuq nuqta", "Историческая холодная точка",
                                     "Historical cold spot"}},
    [MSG_DOSAGE_VIEW] = {"dosage.view",
                         {"Patrul dozasi (GPS izlari boʻyicha)",
                          "Дозировка патрулирования (по GPS-трекам)",
                          "Patrol dosage (from GPS tracks)"}},
    [MSG_DOSAGE_TARGET] = {"dosage.target", {"Maqsad, daqiqa", "Цель, мин", "Target, minutes"}},
    [MSG_DOSAGE_STATUS_UNVISITED] = {"dosage.status.unvisited",
                                     {"borilmagan", "не посещён", "unvisited"}},
    [MSG_DOSAGE_STATUS_SHORT] = {"dosage.status.short", {"yetarli emas", "недостаточно", "short"}},
    [MSG_DOSAGE_STATUS_MET] = {"dosage.status.met", {"bajarilgan", "выполнено", "met"}},
    [MSG_COVERAGE_STATUS_GAP] = {"coverage.status.gap", {"boʻshliq", "без охвата", "gap"}},
    [MSG_COVERAGE_STATUS_COVERED] = {"coverage.status.covered",
                                     {"qamrab olingan", "охвачен", "covered"}},
    [MSG_COVERAGE_STATUS_JOINT] = {"coverage.status.joint",
                                   {"birgalikdagi patrul", "совместный патруль", "joint patrol"}},
    [MSG_COVERAGE_STATUS_OVERLAP] = {"coverage.status.overlap",
                                     {"ustma-ust", "перекрытие", "overlap"}},
    [MSG_COVERAGE_STATUS] = {"coverage.status", {"Holat", "Статус", "Status"}},
    [MSG_COVERAGE_MAHALLA] = {"coverage.mahalla", {"Mahalla", "Махалля", "Mahalla"}},
    [MSG_COVERAGE_MAHALLAS] = {"coverage.mahallas",
                               {"Mahallalar boʻyicha masʼuliyat", "Ответственность по махаллям",
                                "Responsibility per mahalla"}},
    [MSG_SERVICES] = {"services", {"Xizmatlar", "Службы", "Services"}},
    [MSG_ZONE_TITLE] = {"zone.title", {"Zona", "Зона", "Zone"}},
    [MSG_ZONE_SERVICE] = {"zone.service", {"Xizmat", "Служба", "Service"}},
    [MSG_ZONE_UNIT] = {"zone.unit", {"Boʻlinma", "Подразделение", "Unit"}},
    [MSG_PLAN_TRAINING] = {"plan.training", {"Tahlil davri", "Период анализа", "Analysis period"}},
    [MSG_BACKTEST_METHOD] = {"backtest.method", {"Usul", "Метод", "Method"}},
    [MSG_BACKTEST_METHOD_KDE] = {"backtest.method.kde",
                                 {"KDE qaynoq nuqtalari", "Очаги KDE", "KDE hotspots"}},
    [MSG_BACKTEST_METHOD_GISTAR] = {"backtest.method.gistar",
                                    {"Gi* qaynoq kataklari (95%)", "Горячие ячейки Gi* (95%)",
                                     "Gi* hot cells (95%)"}},
    [MSG_BACKTEST_METHOD_COUNTS] = {"backtest.method.counts",
                                    {"Oldingi davr soni", "Счёт прошлого периода",
                                     "Previous-period counts"}},
    [MSG_BACKTEST_METHOD_ZONES] = {"backtest.method.zones",
                                   {"Joriy patrul zonalari", "Текущие зоны патрулирования",
                                    "Current patrol zones"}},
    [MSG_BACKTEST_FOLDS_SCORED] = {"backtest.folds_scored", {"Bosqich", "Шагов", "Folds"}},

    [MSG_ACTIVITIES_KIND] = {"activities.kind", {"Turi", "Вид", "Kind"}},
    [MSG_ACTIVITIES_KIND_PATROL] = {"activities.kind.patrol",
                                    {"Patrul", "Патрулирование", "Patrol"}},
    [MSG_ACTIVITIES_KIND_RESIDENTS_MEETING] = {"activities.kind.residents_meeting",
                                               {"Aholi bilan uchrashuv", "Встреча с жителями",
                                                "Residents’ meeting"}},
    [MSG_ACTIVITIES_KIND_YOUTH_MEETING] = {"activities.kind.youth_meeting",
                                           {"Yoshlar bilan uchrashuv", "Встреча с молодёжью",
                                            "Meeting with young people"}},
    [MSG_ACTIVITIES_KIND_HOME_VISIT] = {"activities.kind.home_visit",
                                        {"Xonadonga tashrif", "Посещение на дому", "Home visit"}},
    [MSG_ACTIVITIES_KIND_VENUE_INSPECTION] = {"activities.kind.venue_inspection",
                                              {"Obyektni tekshirish", "Проверка объекта",
                                               "Venue inspection"}},
    [MSG_ACTIVITIES_KIND_RAID] = {"activities.kind.raid", {"Reyd", "Рейд", "Raid"}},
    [MSG_ACTIVITIES_KIND_AWARENESS] = {"activities.kind.awareness",
                                       {"Targʻibot tadbiri", "Разъяснительное мероприятие",
                                        "Awareness event"}},
    [MSG_ACTIVITIES_KIND_OTHER] = {"activities.kind.other", {"Boshqa", "Другое", "Other"}},
    [MSG_ACTIVITIES_PARTICIPANTS] = {"activities.participants",
                                     {"Qatnashchilar", "Участников", "Participants"}},
    [MSG_ACTIVITIES_OUTCOME] = {"activities.outcome", {"Natija", "Результат", "Outcome"}},
    [MSG_TASKS_DUE] = {"tasks.due", {"Muddati", "Срок", "Due"}},
    [MSG_TASKS_TEXT] = {"tasks.text", {"Nima soʻraladi", "Что поручается", "What is asked"}},
    [MSG_TASKS_RECEIVERS] = {"tasks.receivers", {"Kimga", "Кому", "To"}},
    [MSG_TASKS_OVERDUE] = {"tasks.overdue", {"muddati oʻtgan", "просрочено", "overdue"}},
    [MSG_TASKS_STATUS_NEW] = {"tasks.status.new", {"yangi", "новое", "new"}},
    [MSG_TASKS_STATUS_ACCEPTED] = {"tasks.status.accepted",
                                   {"qabul qilindi", "принято", "accepted"}},
    [MSG_TASKS_STATUS_IN_PROGRESS] = {"tasks.status.in_progress",
                                      {"bajarilmoqda", "в работе", "in progress"}},
    [MSG_TASKS_STATUS_DONE] = {"tasks.status.done", {"bajarildi", "выполнено", "done"}},
    [MSG_TASKS_STATUS_DECLINED] = {"tasks.status.declined",
                                   {"rad etildi", "отклонено", "declined"}},
    [MSG_PAPER_DISTRICT] = {"paper.district", {"Tuman", "Район", "District"}},
    [MSG_PAPER_PRINTED] = {"paper.printed", {"Chop etilgan", "Напечатано", "Printed"}},
    [MSG_PAPER_SCALE] = {"paper.scale", {"Masshtab", "Масштаб", "Scale"}},
    [MSG_PAPER_NORTH] = {"paper.north", {"N", "С", "N"}},
    [MSG_PAPER_DENSITY] = {"paper.density",
                           {"Huquqbuzarliklar zichligi, davr uchun 1 km² ga",
                            "Плотность правонарушений на 1 км² за период",
                            "Offence density per km² over the period"}},
    [MSG_PAPER_CHANGE_DENSITY] = {"paper.change_density",
                                  {"Zichlik oʻzgarishi, davr uchun 1 km² ga, oldingi davrga "
                                   "nisbatan",
                                   "Изменение плотности на 1 км² за период к предыдущему "
                                   "периоду",
                                   "Change in density per km² over the period, against the "
                                   "previous period"}},
    [MSG_PAPER_CHANGE_MAP] = {"paper.change_map",
                              {"Zichlik oʻzgarishi", "Изменение плотности", "Density change"}},
    [MSG_PAPER_JOINT] = {"paper.joint",
                         {"Birgalikdagi patrul yoki ustma-ust", "Совместный патруль или перекрытие",
                          "Joint patrol or overlap"}},
    [MSG_PAPER_HOTSPOT] = {"paper.hotspot",
                           {"Qaynoq nuqta (jadvalda)", "Очаг (см. таблицу)",
                            "Hotspot (see table)"}},
    [MSG_PAPER_SELECTED_MAHALLA] = {"paper.selected_mahalla",
                                    {"Tanlangan mahalla: %s", "Выбранная махалля: %s",
                                     "Selected mahalla: %s"}},
    [MSG_PAPER_SELECTED_DISTRICT] = {"paper.selected_district",
                                     {"Tanlangan tuman: %s", "Выбранный район: %s",
                                      "Selected district: %s"}},
    [MSG_PAPER_BY_CATEGORY] = {"paper.by_category",
                               {"Huquqbuzarliklar turlari boʻyicha", "Правонарушения по видам",
                                "Offences by category"}},
    [MSG_PAPER_CATEGORY] = {"paper.category", {"Turi", "Вид", "Category"}},
    [MSG_PAPER_THIS] = {"paper.this", {"Davrda", "За период", "Period"}},
    [MSG_PAPER_PREVIOUS] = {"paper.previous", {"Oldingi", "Предыдущий", "Previous"}},
    [MSG_PAPER_CHANGE] = {"paper.change", {"Oʻzgarish", "Изменение", "Change"}},
    [MSG_PAPER_TOTAL] = {"paper.total", {"Jami", "Всего", "Total"}},
    [MSG_PAPER_OTHER] = {"paper.other",
                         {"Boshqa turlar (%zu)", "Прочие виды (%zu)", "Other categories (%zu)"}},
    [MSG_PAPER_HOTSPOTS] = {"paper.hotspots",
                            {"Eng qaynoq nuqtalar", "Очаги наибольшей плотности", "Top hotspots"}},
    [MSG_PAPER_PLACE] = {"paper.place", {"Mahalla, koʻcha", "Махалля, улица", "Mahalla, street"}},
    [MSG_PAPER_OFFENCES] = {"paper.offences", {"Huq.", "Прав.", "Offences"}},
    [MSG_PAPER_PEAK] = {"paper.peak", {"1 km² ga", "На 1 км²", "Per km²"}},
    [MSG_PAPER_WITHIN] = {"paper.within",
                          {"Huquqbuzarliklar: choʻqqidan %.0f m radiusda",
                           "Правонарушения: в радиусе %.0f м от пика",
                           "Offences: within %.0f m of the peak"}},
    [MSG_PAPER_OVERVIEW] = {"paper.overview", {"Umumiy xarita", "Обзорная карта", "Overview map"}},
    [MSG_PAPER_PAGE] = {"paper.page", {"Sahifa %d / %d", "Стр. %d из %d", "Page %d of %d"}},
    [MSG_PAPER_NO_OFFENCES] = {"paper.no_offences",
                               {"Davrda huquqbuzarliklar yoʻq", "Правонарушений за период нет",
                                "No offences in the period"}},
    [MSG_PAPER_NO_HOTSPOTS] = {"paper.no_hotspots",
                               {"Qaynoq nuqtalar yoʻq", "Очагов нет", "No hotspots"}},
    [MSG_PAPER_GISTAR_HOT] = {"paper.gistar.hot",
                              {"Qaynoq nuqta, ishonchlilik %d%%",
                               "Горячая точка, достоверность %d%%", "Hot spot, %d%% confidence"}},
    [MSG_PAPER_GISTAR_COLD] = {"paper.gistar.cold",
                               {"Sovuq nuqta, ishonchlilik %d%%",
                                "Холодная точка, достоверность %d%%",
                                "Cold spot, %d%% confidence"}},
    [MSG_PAPER_SHIFT_HOTSPOT] = {"paper.shift_hotspot",
                                 {"Smena qaynoq nuqtasi", "Очаг смены", "Hotspot of the shift"}},
    [MSG_PAPER_NO_CATEGORY] = {"paper.no_category",
                               {"Turi koʻrsatilmagan", "Вид не указан", "No category"}},
    [MSG_PAPER_KM] = {"paper.km", {"km", "км", "km"}},
    [MSG_PAPER_M] = {"paper.m", {"m", "м", "m"}},
    [MSG_PAPER_CHANGE_METRIC] = {"paper.change_metric",
                                 {"Oʻzgarish, %", "Изменение, %", "Change, %"}},
    [MSG_PAPER_MORE] = {"paper.more", {"yana %zu ta", "ещё %zu", "%zu more"}},
    [MSG_PAPER_COVERAGE] = {"paper.coverage",
                            {"Qaynoq nuqtalarning qamrovi", "Охват очагов",
                             "Coverage of hotspots"}},
    [MSG_PAPER_ROSTER] = {"paper.roster",
                          {"Patrul navbatchiligi roʻyxati", "Расстановка нарядов",
                           "Patrol roster"}},
    [MSG_PAPER_SHIFT] = {"paper.shift", {"Smena", "Смена", "Shift"}},
    [MSG_PAPER_DATE] = {"paper.date", {"Reja sanasi", "Дата плана", "Plan date"}},
    [MSG_PAPER_SHARE_OFFENCES] = {"paper.share_offences", {"Huq., %", "Прав., %", "Offences, %"}},
    [MSG_PAPER_SHARE_HOTSPOTS] = {"paper.share_hotspots",
                                  {"Qaynoq nuqtada, %", "В очагах, %", "In hotspots, %"}},
    [MSG_PAPER_AREA] = {"paper.area", {"km²", "км²", "km²"}},
    [MSG_PAPER_BY_UNIT] = {"paper.by_unit",
                           {"Boʻlinmalar boʻyicha", "По подразделениям", "By unit"}},
    [MSG_PAPER_NOBODY] = {"paper.nobody", {"hech kim", "никто", "nobody"}},
    [MSG_PAPER_HOURS] = {"paper.hours", {"Vaqt", "Время", "Hours"}},
    [MSG_PAPER_HOTSPOT_LIST] = {"paper.hotspot_list", {"Qaynoq nuqtalar", "Очаги", "Hotspots"}},
    [MSG_PAPER_VISITS] = {"paper.visits",
                          {"Har bir qaynoq nuqtaga smenada %d marta %.0f daqiqadan",
                           "В каждый очаг %d раз за смену по %.0f мин",
                           "Each hotspot: %d visits of %.0f min a shift"}},
    [MSG_PAPER_SHIFT_HOTSPOTS] = {"paper.shift_hotspots",
                                  {"Smena qaynoq nuqtalari", "Очаги смены",
                                   "Hotspots of the shift"}},
    [MSG_PAPER_ANY_DATE] = {"paper.any_date", {"har qanday", "любая", "any"}},
    [MSG_PAPER_METHODS] = {"paper.methods",
                           {"Qaynoq nuqtalarni tanlash usullari", "Методы выбора очагов",
                            "Hotspot methods"}},
    [MSG_PAPER_COMPARE_DISTRICTS] = {"paper.compare_districts",
                                     {"Tumanlar taqqoslamasi", "Сравнение районов",
                                      "District comparison"}},
    [MSG_PAPER_COMPARE_MAHALLAS] = {"paper.compare_mahallas",
                                    {"Mahallalar taqqoslamasi", "Сравнение махаллей",
                                     "Mahalla comparison"}},
    [MSG_PAPER_ALL_DISTRICTS] = {"paper.all_districts",
                                 {"Barcha tumanlar", "Все районы", "All districts"}},
    [MSG_PAPER_LAST_YEAR] = {"paper.last_year", {"Oʻtgan yil", "Прошлый год", "Last year"}},
    [MSG_PAPER_YTD] = {"paper.ytd", {"Yil boshidan", "С начала года", "Year to date"}},
    [MSG_PAPER_YTD_LAST_YEAR] = {"paper.ytd_last_year",
                                 {"Oʻtgan yil boshidan", "С начала прошлого года",
                                  "Last year to date"}},
    [MSG_PAPER_RATE] = {"paper.rate", {"1000 aholiga", "На 1000 жителей", "Per 1,000 residents"}},
    [MSG_PAPER_COVERED] = {"paper.covered",
                           {"Zonalar qamragan qaynoq nuqtalar", "Очаги, охваченные зонами",
                            "Hotspots covered by zones"}},
    [MSG_PAPER_SPANS] = {"paper.spans",
                         {"Oldingi davr: %s – %s · oʻtgan yil: %s – %s · yil boshidan: %s – %s "
                          "(oʻtgan yil: %s – %s)",
                          "Предыдущий период: %s – %s · прошлый год: %s – %s · с начала года: "
                          "%s – %s (прошлый год: %s – %s)",
                          "Previous period: %s – %s · last year: %s – %s · year to date: %s – %s "
                          "(last year: %s – %s)"}},
    [MSG_PAPER_COMPARE_NOTE] =
        {"paper.compare_note",
         {"* statistik ahamiyatli oʻzgarish (aniq Puasson testi, p < 0,05). 1000 aholiga: "
          "davrdagi huquqbuzarliklar. Qaynoq nuqtalar: davrning qaynoq nuqtalaridan davrning "
          "oxirgi kunida amalda boʻlgan patrul zonalari qamragani.",
          "* статистически значимое изменение (точный тест Пуассона, p < 0,05). На 1000 "
          "жителей: правонарушения за период. Очаги: очаги периода, охваченные зонами "
          "патрулирования, действующими в его последний день.",
          "* a significant change (exact Poisson test, p < 0.05). Per 1,000 residents: the "
          "period's offences. Hotspots: the period's hotspots covered by the patrol zones "
          "valid on its last day."}},

    [MSG_PAPER_PACK] = {"paper.pack",
                        {"Mahalla yigʻilishi uchun maʼlumotnoma", "Материалы к собранию махалли",
                         "Mahalla meeting pack"}},
    [MSG_PAPER_PACK_ACTIVITIES] = {"paper.pack.activities",
                                   {"%s dan beri profilaktika tadbirlari",
                                    "Профилактические мероприятия с %s",
                                    "Prevention activities since %s"}},
    [MSG_PAPER_PACK_NO_ACTIVITIES] = {"paper.pack.no_activities",
                                      {"%s dan beri hech bir tadbir qayd etilmagan.",
                                       "С %s мероприятий не записано.",
                                       "No activity recorded since %s."}},
    [MSG_PAPER_PACK_DAY] = {"paper.pack.day", {"Kuni", "День", "Day"}},
    [MSG_PAPER_PACK_TASKS] = {"paper.pack.tasks",
                              {"Mahalladagi ochiq topshiriqlar", "Открытые поручения по махалле",
                               "Open tasks in the mahalla"}},
    [MSG_PAPER_PACK_NO_TASKS] = {"paper.pack.no_tasks",
                                 {"Ochiq topshiriqlar yoʻq.", "Открытых поручений нет.",
                                  "No open tasks."}},
    [MSG_PAPER_PACK_ASKER] = {"paper.pack.asker", {"Kim soʻradi", "Кто поручил", "Asked by"}},
    [MSG_PAPER_PACK_STANDING] = {"paper.pack.standing",
                                 {"Mahallaning holati", "Положение махалли",
                                  "The mahalla’s standing"}},
    [MSG_PAPER_STANDING_GREEN] = {"paper.standing.green", {"Yashil", "Зелёная", "Green"}},
    [MSG_PAPER_STANDING_YELLOW] = {"paper.standing.yellow", {"Sariq", "Жёлтая", "Yellow"}},
    [MSG_PAPER_STANDING_RED] = {"paper.standing.red", {"Qizil", "Красная", "Red"}},
    [MSG_PAPER_PACK_CATEGORY] = {"paper.pack.category", {"Toifa", "Категория", "Category"}},
    [MSG_PAPER_PACK_HELD] = {"paper.pack.held",
                             {"%s dan beri, %d kun", "с %s, %d дн.", "since %s, %d days"}},
    [MSG_PAPER_PACK_UNRECORDED] = {"paper.pack.unrecorded",
                                   {"hali qayd etilmagan", "ещё не записана", "not recorded yet"}},
    [MSG_PAPER_PACK_OFFENCES] = {"paper.pack.offences",
                                 {"Soʻnggi %d kundagi huquqbuzarliklar",
                                  "Правонарушения за последние %d дн.",
                                  "Offences in the last %d days"}},
    [MSG_PAPER_PACK_BEFORE] = {"paper.pack.before",
                               {"Undan oldingi %d kunda", "За предыдущие %d дн.",
                                "In the %d days before"}},
    [MSG_PAPER_PACK_REPEAT] = {"paper.pack.repeat",
                               {"Takroriy joylar", "Места повторных правонарушений",
                                "Repeat places"}},
    [MSG_PAPER_PACK_OVERDUE] = {"paper.pack.overdue",
                                {"Muddati oʻtgan topshiriqlar", "Просроченные поручения",
                                 "Overdue tasks"}},
    [MSG_PAPER_PACK_REASONS] = {"paper.pack.reasons",
                                {"Chegaraga yetgan koʻrsatkichlar", "Достигнутые пороги",
                                 "Limits reached"}},
    [MSG_PAPER_PACK_MEASURE] = {"paper.pack.measure", {"Koʻrsatkich", "Показатель", "Measure"}},
    [MSG_PAPER_PACK_VALUE] = {"paper.pack.value", {"Qiymati", "Значение", "Value"}},
    [MSG_PAPER_PACK_HISTORY] = {"paper.pack.history",
                                {"Holat tarixi", "История положения", "Standing history"}},
    [MSG_PAPER_PACK_FROM] = {"paper.pack.from", {"Boshlangan", "С", "From"}},
    [MSG_PAPER_PACK_UNTIL] = {"paper.pack.until", {"Tugagan", "По", "Until"}},
    [MSG_PAPER_PACK_DAYS] = {"paper.pack.days", {"Kunlar", "Дней", "Days"}},
    [MSG_PAPER_PACK_NOW] = {"paper.pack.now", {"hozirgacha", "по сей день", "to date"}},
    [MSG_PAPER_PACK_NO_HISTORY] = {"paper.pack.no_history",
                                   {"Holat hali qayd etilmagan.", "Положение ещё не записывалось.",
                                    "No standing recorded yet."}},
    [MSG_PAPER_PACK_OFFICIALS] = {"paper.pack.officials",
                                  {"Masʼul shaxslar", "Ответственные лица",
                                   "Responsible officials"}},
    [MSG_PAPER_PACK_ROLE] = {"paper.pack.role", {"Lavozimi", "Должность", "Position"}},
    [MSG_PAPER_PACK_NAME] = {"paper.pack.name", {"Ism-sharifi", "Ф. И. О.", "Name"}},
    [MSG_PAPER_PACK_PHONE] = {"paper.pack.phone", {"Telefon", "Телефон", "Phone"}},
    [MSG_PAPER_PACK_NO_OFFICIALS] = {"paper.pack.no_officials",
                                     {"Masʼul shaxslar koʻrsatilmagan.",
                                      "Ответственные лица не названы.", "No officials named."}},
    [MSG_PAPER_PACK_RISK] = {"paper.pack.risk",
                             {"Roʻyxatdagi xavf guruhlari", "Группы риска на учёте",
                              "Registered at-risk groups"}},
    [MSG_PAPER_PACK_GROUP] = {"paper.pack.group", {"Guruh", "Группа", "Group"}},
    [MSG_PAPER_PACK_COUNT] = {"paper.pack.count", {"Soni", "Число", "Count"}},
    [MSG_PAPER_PACK_NO_RISK] = {"paper.pack.no_risk",
                                {"Sonlar kiritilmagan.", "Данные не внесены.",
                                 "No counts entered."}},
    [MSG_PAPER_PACK_SUPPRESSED] = {"paper.pack.suppressed",
                                   {"%d dan kam son «<%d» deb yozilgan: bu hujjat xizmatlardan "
                                    "tashqariga chiqadi, kichik son esa odamni tanitib qoʻyishi "
                                    "mumkin.",
                                    "Число меньше %d напечатано как «<%d»: документ выходит за "
                                    "пределы служб, а малое число может указать на человека.",
                                    "A count below %d is printed as “<%d”: this pack leaves the "
                                    "services, and a small count could point to a person."}},
    [MSG_RISK_MINORS] = {"risk.teenagers_registered",
                         {"Profilaktik hisobdagi voyaga yetmaganlar",
                          "Несовершеннолетние на профилактическом учёте",
                          "Minors on the prevention register"}},
    [MSG_RISK_RELEASED] = {"risk.released_from_prison",
                           {"Jazoni oʻtab qaytganlar", "Вернувшиеся из мест лишения свободы",
                            "Released from prison"}},
    [MSG_RISK_SUPERVISION] = {"risk.administrative_supervision",
                              {"Maʼmuriy nazoratdagilar", "Под административным надзором",
                               "Under administrative supervision"}},
    [MSG_RISK_PROBATION] = {"risk.probation",
                            {"Shartli hukm qilinganlar", "Условно осуждённые", "On probation"}},
    [MSG_RISK_PROTECTION] = {"risk.protection_orders",
                             {"Himoya orderi berilganlar", "Получившие охранный ордер",
                              "Holders of a protection order"}},
    [MSG_RISK_DRUGS] = {"risk.drug_register",
                        {"Narkologik hisobdagilar", "На наркологическом учёте",
                         "On the drug-treatment register"}},
    [MSG_RISK_ALCOHOL] = {"risk.alcohol_register",
                          {"Alkogolizm boʻyicha hisobdagilar", "На учёте по алкоголизму",
                           "On the alcohol register"}},
    [MSG_RISK_YOUTH] = {"risk.youth_at_risk",
                        {"Xavf guruhidagi yoshlar", "Молодёжь группы риска",
                         "Young people at risk"}},
    [MSG_CHART_TITLE] = {"chart.title",
                         {"Tushish egri chizigʻi (oxirgi sinov davri)",
                          "Кривая попаданий (последний период проверки)",
                          "Hit-rate curve (latest test period)"}},
    [MSG_CHART_X] = {"chart.x",
                     {"Tuman maydonining ulushi", "Доля площади района",
                      "Share of the district's area"}},
    [MSG_CHART_Y] = {"chart.y",
                     {"Huquqbuzarliklar ulushi", "Доля правонарушений", "Share of offences"}},
    [MSG_CHART_RANDOM] = {"chart.random", {"Tasodifiy", "Случайный выбор", "Random"}},

    [MSG_BTPAGE_FOLDS] = {"btpage.folds",
                          {"%zu ta bosqich; haftalar: oʻrganish %d, sinov %d, qadam %d · %g m "
                           "li kataklar, tumanda %s ta · amaldagi patrul zonalari: %zu",
                           "Шагов: %zu; недель: обучение %d, проверка %d, сдвиг %d · ячейки %g "
                           "м, в районе %s · действующих зон патрулирования: %zu",
                           "Folds: %zu; weeks: training %d, test %d, step %d · cells of %g m, "
                           "%s in the district · patrol zones in play: %zu"}},
    [MSG_BTPAGE_TABLE] = {"btpage.table",
                          {"Bosqichlar boʻyicha oʻrtacha ± tarqoqlik (standart ogʻish)",
                           "Среднее ± разброс (стандартное отклонение) по шагам",
                           "Mean ± spread (standard deviation) over the folds"}},
    [MSG_BTPAGE_AREA] = {"btpage.area", {"Maydon, %", "Площадь, %", "Area, %"}},
    [MSG_BTPAGE_HIT] = {"btpage.hit", {"Tushish, %", "Попадания, %", "Hit rate, %"}},
    [MSG_BTPAGE_MEANING] =
        {"btpage.meaning",
         {"Tushish: belgilangan kataklardagi sinov huquqbuzarliklari ulushi. PAI: "
          "huquqbuzarliklar ulushi ÷ maydon ulushi. RRI: sinovdagi PAI ÷ oʻrganish "
          "davridagi PAI. PEI: tutilgan huquqbuzarliklar ÷ shu maydon tuta oladigan "
          "eng koʻpi. Bosqich: usul katak belgilagan bosqichlar.",
          "Попадания: доля правонарушений периода проверки в отмеченных ячейках. "
          "PAI: доля правонарушений ÷ доля площади. RRI: PAI на проверке ÷ PAI на "
          "обучении. PEI: охваченные правонарушения ÷ наибольшее число, которое "
          "могла охватить та же площадь. Шагов: где метод отметил ячейки.",
          "Hit rate: share of the test period's offences in the marked cells. PAI: "
          "share of offences ÷ share of area. RRI: PAI of the test ÷ PAI of the "
          "training period. PEI: offences caught ÷ the most the same area could catch. "
          "Folds: those in which the method marked cells."}},
    [MSG_BTPAGE_BEST] = {"btpage.best",
                         {"Maydon birligiga eng koʻp huquqbuzarlikni «%s» qamradi: PAI %s, "
                          "sinov huquqbuzarliklarining %s%% i maydonning %s%% ida.",
                          "Больше всего правонарушений на единицу площади охватил метод «%s»: "
                          "PAI %s, %s%% правонарушений периода проверки на %s%% площади.",
                          "%s captured the most offences per area: PAI %s, %s%% of the "
                          "test offences on %s%% of the area."}},
    [MSG_BTPAGE_NONE] = {"btpage.none",
                         {"Hech bir usul katak belgilamadi.", "Ни один метод не отметил ячеек.",
                          "No method marked any cell."}},
    [MSG_WMS_DISTRICTS] = {"wms.districts",
                           {"Tuman chegaralari", "Границы районов", "District boundaries"}},
    [MSG_WMS_MAHALLAS] = {"wms.mahallas",
                          {"Mahalla chegaralari va nomlari", "Границы махаллей с названиями",
                           "Mahalla boundaries with names"}},
    [MSG_WMS_CHOROPLETH] = {"wms.choropleth",
                            {"Mahallalar boʻyicha huquqbuzarliklar (kartogramma)",
                             "Правонарушения по махаллям (картограмма)",
                             "Offences per mahalla (choropleth)"}},
    [MSG_WMS_HEATMAP] = {"wms.heatmap",
                         {"Huquqbuzarliklar zichligi (issiqlik xaritasi)",
                          "Плотность правонарушений (тепловая карта)",
                          "Offence density (heatmap)"}},
    [MSG_WMS_OFFENCES] = {"wms.offences",
                          {"Huquqbuzarliklar turlari boʻyicha", "Правонарушения по видам",
                           "Offences by category"}},
    [MSG_WMS_HOTSPOTS] = {"wms.hotspots",
                          {"Smena qaynoq nuqtalari", "Горячие точки смены", "Hotspots of a shift"}},
    [MSG_WMS_COVERAGE] = {"wms.coverage",
                          {"Patrul qamrovi boʻyicha qaynoq nuqtalar",
                           "Горячие точки по охвату патрулями",
                           "Hotspots coloured by patrol coverage"}},
    [MSG_WMS_DOSAGE] = {"wms.dosage",
                        {"Patrul dozasi boʻyicha qaynoq nuqtalar",
                         "Горячие точки по дозе патрулирования",
                         "Hotspots coloured by patrol dosage"}},
    [MSG_WMS_CHANGE] = {"wms.change",
                        {"Zichlikning oldingi davrga nisbatan oʻzgarishi",
                         "Изменение плотности к предыдущему периоду",
                         "Density change from the previous period"}},
    [MSG_WMS_TRENDS] = {"wms.trends",
                        {"Paydo boʻlayotgan qaynoq va sovuq nuqtalar",
                         "Возникающие горячие и холодные точки", "Emerging hot and cold spots"}},
    [MSG_WMS_BASE] = {"wms.base",
                      {"Koʻchalar, binolar, suv va joylar (asos)",
                       "Улицы, здания, вода и места (подложка)",
                       "Streets, buildings, water and places (the ground)"}},
};

/* As the viewer's "weekdays.short". */
static const char *const weekdays[MSG_LANGS][7] = {
    {"Du", "Se", "Ch", "Pa", "Ju", "Sh", "Ya"},
    {"Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"},
    {"Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"},
};

static const char *const codes[MSG_LANGS] = {"uz", "ru", "en"};

enum msg_lang msg_lang_of(const char *code)
{
	for (int i = 0; code && i < MSG_LANGS; i++)
		if (strcasecmp(code, codes[i]) == 0)
			return (enum msg_lang)i;
	return MSG_EN;
}

int msg_lang_known(const char *code)
{
	return code && (msg_lang_of(code) != MSG_EN || strcasecmp(code, "en") == 0);
}

const char *msg_lang_code(enum msg_lang lang)
{
	return codes[lang];
}

const char *msg_text(enum msg m, enum msg_lang lang)
{
	return rows[m].text[lang];
}

const char *msg_key(enum msg m)
{
	return rows[m].key;
}

const char *msg_find(const char *prefix, const char *name, enum msg_lang lang)
{
	size_t n = strlen(prefix);
	for (int m = 0; name && m < MSG_COUNT; m++)
		if (strncmp(rows[m].key, prefix, n) == 0 && strcmp(rows[m].key + n, name) == 0)
			return rows[m].text[lang];
	return NULL;
}

const char *msg_capital(enum msg m, enum msg_lang lang, char *out, size_t n)
{
	const unsigned char *s = (const unsigned char *)msg_text(m, lang);
	size_t len = strlen((const char *)s);
	if (n == 0)
		return out;
	/* Cut at a character: never before a continuation byte. */
	if (len >= n) {
		len = n - 1;
		while (len > 0 && (s[len] & 0xC0) == 0x80)
			len--;
	}
	memcpy(out, s, len);
	out[len] = 0;
	unsigned char *o = (unsigned char *)out;
	if (len >= 1 && o[0] >= 'a' && o[0] <= 'z')
		o[0] -= 'a' - 'A';
	else if (len >= 2 && o[0] == 0xD0 && o[1] >= 0xB0 && o[1] <= 0xBF)
		o[1] -= 0x20; /* а..п */
	else if (len >= 2 && o[0] == 0xD1 && o[1] >= 0x80 && o[1] <= 0x8F)
		o[0] = 0xD0, o[1] += 0x20; /* р..я */
	else if (len >= 2 && o[0] == 0xD1 && o[1] == 0x91)
		o[0] = 0xD0, o[1] = 0x81; /* ё */
	return out;
}

const char *msg_weekday(int d, enum msg_lang lang)
{
	return weekdays[lang][d];
}
