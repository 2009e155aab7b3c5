"""Generated from declaration.yaml by app.settings.declaration.write_declaration_copy:
edit the YAML, then regenerate."""

DECLARATION = {'objects': {'check': {'description': 'A connectivity check run with the '
                                                    'diagnostics.',
                                     'discriminator': 'type',
                                     'fields': {'type': {'type': 'enum',
                                                         'values': ['dns', 'tcp', 'http', 'tls'],
                                                         'required': True},
                                                'name': {'type': 'str', 'required': True},
                                                'host': {'type': 'str'},
                                                'port': {'type': 'int', 'min': 1, 'max': 65535},
                                                'url': {'type': 'str'},
                                                'expect_status': {'type': 'int',
                                                                  'min': 100,
                                                                  'max': 599},
                                                'timeout_s': {'type': 'float',
                                                              'min': 0.1,
                                                              'max': 60},
                                                'ca_file': {'type': 'str'},
                                                'expect_issuer': {'type': 'str'}},
                                     'requires': {'dns': ['host'],
                                                  'tcp': ['host', 'port'],
                                                  'http': ['url'],
                                                  'tls': ['host']}},
                           'collector': {'description': 'A custom diagnostics collector defined by '
                                                        'the administrator.',
                                         'discriminator': 'type',
                                         'fields': {'type': {'type': 'enum',
                                                             'values': ['file_tail',
                                                                        'command',
                                                                        'registry'],
                                                             'required': True},
                                                    'name': {'type': 'str', 'required': True},
                                                    'path': {'type': 'str'},
                                                    'lines': {'type': 'int',
                                                              'min': 1,
                                                              'max': 10000},
                                                    'argv': {'type': 'str_list'},
                                                    'timeout_s': {'type': 'float',
                                                                  'min': 0.1,
                                                                  'max': 120},
                                                    'key': {'type': 'str'},
                                                    'value': {'type': 'str'}},
                                         'requires': {'file_tail': ['path'],
                                                      'command': ['argv'],
                                                      'registry': ['key']}},
                           'feed': {'description': 'A source of known incidents shown before the '
                                                   'form.',
                                    'discriminator': 'type',
                                    'fields': {'type': {'type': 'enum',
                                                        'values': ['helpdesk',
                                                                   'statuspage',
                                                                   'rss',
                                                                   'json'],
                                                        'required': True},
                                               'name': {'type': 'str', 'required': True},
                                               'url': {'type': 'str'},
                                               'path': {'type': 'str'},
                                               'max_age_hours': {'type': 'float',
                                                                 'min': 1,
                                                                 'max': 720}},
                                    'requires': {'statuspage': ['url'], 'rss': ['url']}}},
               'settings': [{'key': 'general.language',
                             'type': 'enum',
                             'values': ['auto', 'en', 'ru', 'uk'],
                             'default': 'auto',
                             'user': True,
                             'description': {'en': 'Language of the user interface; "auto" follows '
                                                   'the system language.',
                                             'ru': 'Язык интерфейса; «auto» — как в системе.',
                                             'uk': 'Мова інтерфейсу; «auto» — як у системі.'}},
                            {'key': 'general.organisation',
                             'type': 'str',
                             'default': '',
                             'user': False,
                             'description': {'en': 'Name of the organisation, shown in the report '
                                                   'window and in reports.',
                                             'ru': 'Название организации, показывается в окне '
                                                   'отчёта и в отчётах.',
                                             'uk': 'Назва організації, показується у вікні звіту '
                                                   'та у звітах.'}},
                            {'key': 'general.support_url',
                             'type': 'str',
                             'default': '',
                             'user': False,
                             'description': {'en': 'Address of the helpdesk portal, offered as a '
                                                   'link in the tray menu.',
                                             'ru': 'Адрес портала поддержки, ссылка в меню значка.',
                                             'uk': 'Адреса порталу підтримки, посилання в меню '
                                                   'значка.'}},
                            {'key': 'general.app_name',
                             'type': 'str',
                             'default': 'Flare',
                             'user': False,
                             'description': {'en': 'Name the application shows to users '
                                                   '(branding).',
                                             'ru': 'Название приложения, которое видят '
                                                   'пользователи (брендинг).',
                                             'uk': 'Назва застосунку, яку бачать користувачі '
                                                   '(брендинг).'}},
                            {'key': 'general.allow_quit',
                             'type': 'bool',
                             'default': True,
                             'user': False,
                             'description': {'en': 'Whether the tray menu offers "Quit".',
                                             'ru': 'Показывать ли пункт «Выход» в меню значка.',
                                             'uk': 'Чи показувати пункт «Вихід» у меню значка.'}},
                            {'key': 'general.autostart',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'Whether Flare starts at login; where the '
                                                   'desktop has no tray, the login start only '
                                                   'delivers queued reports and opens no window.',
                                             'ru': 'Запускать ли Flare при входе в систему; если в '
                                                   'системе нет трея, при входе Flare только '
                                                   'отправляет отчёты из очереди и не открывает '
                                                   'окно.',
                                             'uk': 'Чи запускати Flare під час входу в систему; '
                                                   'якщо в системі немає трею, під час входу Flare '
                                                   'лише надсилає звіти з черги й не відкриває '
                                                   'вікна.'}},
                            {'key': 'general.log_level',
                             'type': 'enum',
                             'values': ['debug', 'info', 'warning', 'error'],
                             'default': 'info',
                             'user': True,
                             'description': {'en': "Detail of Flare's own log file.",
                                             'ru': 'Подробность собственного журнала Flare.',
                                             'uk': 'Докладність власного журналу Flare.'}},
                            {'key': 'reporter.name',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Your name as support should see it; empty = '
                                                   'the full name of your account on this '
                                                   'computer.',
                                             'ru': 'Ваше имя, каким его увидит поддержка; пусто = '
                                                   'полное имя вашей учётной записи на этом '
                                                   'компьютере.',
                                             'uk': "Ваше ім'я, яким його побачить підтримка; "
                                                   "порожньо = повне ім'я вашого облікового запису "
                                                   "на цьому комп'ютері."}},
                            {'key': 'reporter.email',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Your e-mail address as the helpdesk knows it; '
                                                   "used as the ticket's requester and to find "
                                                   'your open tickets.',
                                             'ru': 'Ваш адрес электронной почты, известный службе '
                                                   'поддержки; используется как автор заявки и для '
                                                   'поиска ваших открытых заявок.',
                                             'uk': 'Ваша адреса електронної пошти, відома службі '
                                                   'підтримки; використовується як автор заявки та '
                                                   'для пошуку ваших відкритих заявок.'}},
                            {'key': 'reporter.email_template',
                             'type': 'str',
                             'default': '',
                             'user': False,
                             'description': {'en': 'The e-mail address of a user who has not given '
                                                   'one, with {username} for the login name (for '
                                                   'example {username}@example.org).',
                                             'ru': 'Адрес электронной почты пользователя, который '
                                                   'его не указал; {username} заменяется именем '
                                                   'входа (например, {username}@example.org).',
                                             'uk': 'Адреса електронної пошти користувача, який її '
                                                   'не вказав; {username} замінюється іменем входу '
                                                   '(наприклад, {username}@example.org).'}},
                            {'key': 'reports.folder',
                             'type': 'path',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Folder for saved report bundles; empty means '
                                                   'the user\'s "Flare reports" folder.',
                                             'ru': 'Папка для сохранённых отчётов; пусто — папка '
                                                   'пользователя «Flare reports».',
                                             'uk': 'Тека для збережених звітів; порожньо — тека '
                                                   'користувача «Flare reports».'}},
                            {'key': 'reports.bundle_format',
                             'type': 'enum',
                             'values': ['folder', 'zip'],
                             'default': 'folder',
                             'user': True,
                             'description': {'en': 'Whether a saved report is a folder or a single '
                                                   '.zip file.',
                                             'ru': 'Сохранять отчёт папкой или одним файлом .zip.',
                                             'uk': 'Зберігати звіт текою чи одним файлом .zip.'}},
                            {'key': 'destination.type',
                             'type': 'str',
                             'default': 'folder',
                             'user': True,
                             'description': {'en': 'Where reports go, by connector name (folder, '
                                                   'email, spec, rt, redmine, zendesk, …); spec '
                                                   'uses the connector YAML in destination.spec.',
                                             'ru': 'Куда отправляются отчёты — имя коннектора '
                                                   '(folder, email, spec, rt, redmine, zendesk, '
                                                   '…); spec — коннектор из YAML-файла в '
                                                   'destination.spec.',
                                             'uk': "Куди надсилаються звіти — ім'я конектора "
                                                   '(folder, email, spec, rt, redmine, zendesk, '
                                                   '…); spec — конектор із YAML-файлу в '
                                                   'destination.spec.'}},
                            {'key': 'destination.url',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Base address of the helpdesk (or of the mail '
                                                   'server).',
                                             'ru': 'Базовый адрес системы поддержки (или почтового '
                                                   'сервера).',
                                             'uk': 'Базова адреса системи підтримки (або поштового '
                                                   'сервера).'}},
                            {'key': 'destination.spec',
                             'type': 'path',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Connector spec (YAML) used when '
                                                   'destination.type is spec.',
                                             'ru': 'Описание коннектора (YAML), если '
                                                   'destination.type — spec.',
                                             'uk': 'Опис конектора (YAML), якщо destination.type — '
                                                   'spec.'}},
                            {'key': 'destination.queue',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Queue, group or mailbox that receives new '
                                                   'tickets.',
                                             'ru': 'Очередь, группа или ящик, куда попадают новые '
                                                   'заявки.',
                                             'uk': 'Черга, група або скринька, куди потрапляють '
                                                   'нові заявки.'}},
                            {'key': 'destination.incidents_queue',
                             'type': 'str',
                             'default': '',
                             'user': False,
                             'description': {'en': 'The helpdesk queue (Request Tracker), project '
                                                   '(Redmine; Jira Service Management, its key) or '
                                                   'group (Freshservice, its id; Zammad, its name) '
                                                   'whose open tickets are known incidents, shown '
                                                   'before the form; empty = none.',
                                             'ru': 'Очередь (Request Tracker), проект (Redmine; '
                                                   'Jira Service Management — его ключ) или группа '
                                                   '(Freshservice — её номер; Zammad — её '
                                                   'название), открытые заявки которых — известные '
                                                   'инциденты; они показываются до анкеты; пусто — '
                                                   'нет.',
                                             'uk': 'Черга (Request Tracker), проєкт (Redmine; Jira '
                                                   'Service Management — його ключ) або група '
                                                   '(Freshservice — її номер; Zammad — її назва), '
                                                   'відкриті заявки яких — відомі інциденти; вони '
                                                   'показуються до анкети; порожньо — немає.'}},
                            {'key': 'destination.incidents_tracker',
                             'type': 'str',
                             'default': '',
                             'user': False,
                             'description': {'en': 'The Redmine tracker id whose open issues are '
                                                   'known incidents (with or without '
                                                   'destination.incidents_queue); empty = none.',
                                             'ru': 'Номер трекера Redmine, открытые задачи '
                                                   'которого — известные инциденты (вместе с '
                                                   'destination.incidents_queue или без него); '
                                                   'пусто — нет.',
                                             'uk': 'Номер трекера Redmine, відкриті задачі якого — '
                                                   'відомі інциденти (разом із '
                                                   'destination.incidents_queue або без нього); '
                                                   'порожньо — немає.'}},
                            {'key': 'destination.project',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Project (or organisation) new tickets belong '
                                                   'to, where the helpdesk has projects.',
                                             'ru': 'Проект (или организация) для новых заявок, '
                                                   'если в системе есть проекты.',
                                             'uk': 'Проєкт (або організація) для нових заявок, '
                                                   'якщо в системі є проєкти.'}},
                            {'key': 'destination.token',
                             'type': 'secret',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Reference to the API token (keyring:NAME, '
                                                   'env:NAME or file:PATH), never the token '
                                                   'itself.',
                                             'ru': 'Ссылка на API-токен (keyring:ИМЯ, env:ИМЯ или '
                                                   'file:ПУТЬ), но не сам токен.',
                                             'uk': "Посилання на API-токен (keyring:ІМ'Я, env:ІМ'Я "
                                                   'або file:ШЛЯХ), але не сам токен.'}},
                            {'key': 'destination.username',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Account name used with the token, where the '
                                                   'helpdesk needs one.',
                                             'ru': 'Имя учётной записи для токена, если система '
                                                   'его требует.',
                                             'uk': "Ім'я облікового запису для токена, якщо "
                                                   'система його вимагає.'}},
                            {'key': 'destination.image_format',
                             'type': 'enum',
                             'values': ['webp', 'png'],
                             'default': 'webp',
                             'user': True,
                             'description': {'en': 'Image format of screenshots sent to the '
                                                   'helpdesk.',
                                             'ru': 'Формат снимков экрана, отправляемых в '
                                                   'поддержку.',
                                             'uk': 'Формат знімків екрана, що надсилаються до '
                                                   'підтримки.'}},
                            {'key': 'destination.max_attachment_mb',
                             'type': 'int',
                             'min': 1,
                             'max': 1024,
                             'default': 10,
                             'user': True,
                             'description': {'en': 'Largest single attachment the helpdesk '
                                                   'accepts, in megabytes.',
                                             'ru': 'Наибольший размер одного вложения, который '
                                                   'принимает система, в мегабайтах.',
                                             'uk': 'Найбільший розмір одного вкладення, який '
                                                   'приймає система, у мегабайтах.'}},
                            {'key': 'destination.ca_bundle',
                             'type': 'path',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Extra CA certificates (PEM) to trust for the '
                                                   'helpdesk; empty uses the system store.',
                                             'ru': 'Дополнительные сертификаты ЦС (PEM) для '
                                                   'системы поддержки; пусто — системное '
                                                   'хранилище.',
                                             'uk': 'Додаткові сертифікати ЦС (PEM) для системи '
                                                   'підтримки; порожньо — системне сховище.'}},
                            {'key': 'destination.proxy',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Proxy address (http://host:port); empty uses '
                                                   'the system proxy settings.',
                                             'ru': 'Адрес прокси (http://host:port); пусто — '
                                                   'системные настройки.',
                                             'uk': 'Адреса проксі (http://host:port); порожньо — '
                                                   'системні налаштування.'}},
                            {'key': 'destination.proxy_pac_url',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Address of a proxy auto-configuration (PAC) '
                                                   'file.',
                                             'ru': 'Адрес файла автоматической настройки прокси '
                                                   '(PAC).',
                                             'uk': 'Адреса файлу автоматичного налаштування проксі '
                                                   '(PAC).'}},
                            {'key': 'destination.poll_minutes',
                             'type': 'int',
                             'min': 0,
                             'max': 1440,
                             'default': 15,
                             'user': True,
                             'description': {'en': 'How often the tray checks the status of the '
                                                   "user's tickets, in minutes; 0 never.",
                                             'ru': 'Как часто значок проверяет состояние заявок '
                                                   'пользователя, в минутах; 0 — никогда.',
                                             'uk': 'Як часто значок перевіряє стан заявок '
                                                   'користувача, у хвилинах; 0 — ніколи.'}},
                            {'key': 'outbox.retry_initial_s',
                             'type': 'float',
                             'min': 1,
                             'max': 3600,
                             'default': 30,
                             'user': False,
                             'description': {'en': 'Seconds before the first retry of a report the '
                                                   'helpdesk did not take; each later retry waits '
                                                   'twice as long (at most an hour).',
                                             'ru': 'Секунд до первой повторной отправки заявки, '
                                                   'которую не приняла служба поддержки; каждая '
                                                   'следующая попытка ждёт вдвое дольше (не больше '
                                                   'часа).',
                                             'uk': 'Секунд до першої повторної спроби надіслати '
                                                   'заявку, яку не прийняла служба підтримки; '
                                                   'кожна наступна спроба чекає вдвічі довше (не '
                                                   'більше години).'}},
                            {'key': 'capture.enabled',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'Whether users can attach screenshots.',
                                             'ru': 'Могут ли пользователи прикладывать снимки '
                                                   'экрана.',
                                             'uk': 'Чи можуть користувачі додавати знімки '
                                                   'екрана.'}},
                            {'key': 'capture.stamp_corner',
                             'type': 'enum',
                             'values': ['top-left', 'top-right', 'bottom-left', 'bottom-right'],
                             'default': 'bottom-right',
                             'user': True,
                             'description': {'en': 'Corner of the screenshot where the date and '
                                                   'time are stamped.',
                                             'ru': 'Угол снимка, в котором ставится дата и время.',
                                             'uk': 'Кут знімка, у якому ставиться дата й час.'}},
                            {'key': 'capture.stamp_scale',
                             'type': 'float',
                             'min': 0.5,
                             'max': 4.0,
                             'default': 1.0,
                             'user': True,
                             'description': {'en': 'Size of the time stamp relative to the normal '
                                                   'size.',
                                             'ru': 'Размер отметки времени относительно обычного.',
                                             'uk': 'Розмір позначки часу відносно звичайного.'}},
                            {'key': 'capture.window_title',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'Record the title of the active window with '
                                                   'each screenshot.',
                                             'ru': 'Записывать заголовок активного окна с каждым '
                                                   'снимком.',
                                             'uk': 'Записувати заголовок активного вікна з кожним '
                                                   'знімком.'}},
                            {'key': 'capture.step_limit',
                             'type': 'int',
                             'min': 1,
                             'max': 500,
                             'default': 50,
                             'user': True,
                             'description': {'en': 'Largest number of screenshots in one report.',
                                             'ru': 'Наибольшее число снимков в одном отчёте.',
                                             'uk': 'Найбільша кількість знімків в одному звіті.'}},
                            {'key': 'capture.hotkey',
                             'type': 'str',
                             'default': '<ctrl>+<shift>+<f9>',
                             'user': True,
                             'description': {'en': 'Desktop-wide shortcut for "Capture step" while '
                                                   'recording, e.g. <ctrl>+<shift>+<f9>; empty = '
                                                   'none. Not available on Wayland.',
                                             'ru': 'Общий для всего рабочего стола сочетание '
                                                   'клавиш «Снять шаг» во время записи, например '
                                                   '<ctrl>+<shift>+<f9>; пусто = нет. Недоступно в '
                                                   'Wayland.',
                                             'uk': 'Спільне для всього робочого столу сполучення '
                                                   'клавіш «Зняти крок» під час запису, наприклад '
                                                   '<ctrl>+<shift>+<f9>; порожньо = немає. '
                                                   'Недоступне у Wayland.'}},
                            {'key': 'capture.report_shortcut',
                             'type': 'str',
                             'default': '<ctrl>+<shift>+<f8>',
                             'user': True,
                             'description': {'en': 'Desktop-wide shortcut that opens "Report a '
                                                   'problem" at any time while Flare\'s tray icon '
                                                   'runs, e.g. <ctrl>+<shift>+<f8>; empty = none. '
                                                   'X11 only (Wayland does not allow it).',
                                             'ru': 'Общее для всего рабочего стола сочетание '
                                                   'клавиш, которое в любой момент открывает '
                                                   '«Сообщить о проблеме», пока работает значок '
                                                   'Flare, например <ctrl>+<shift>+<f8>; пусто = '
                                                   'нет. Только X11 (Wayland этого не позволяет).',
                                             'uk': 'Спільне для всього робочого столу сполучення '
                                                   'клавіш, яке будь-коли відкриває «Повідомити '
                                                   'про проблему», поки працює значок Flare, '
                                                   'наприклад <ctrl>+<shift>+<f8>; порожньо = '
                                                   'немає. Лише X11 (Wayland цього не дозволяє).'}},
                            {'key': 'capture.screenshot_shortcut',
                             'type': 'str',
                             'default': '<ctrl>+<shift>+<f7>',
                             'user': True,
                             'description': {'en': 'Desktop-wide shortcut for "Screenshot now" at '
                                                   'any time (into the report in progress, or a '
                                                   "new one) while Flare's tray icon runs, e.g. "
                                                   '<ctrl>+<shift>+<f7>; empty = none. It must '
                                                   'differ from capture.hotkey. X11 only (Wayland '
                                                   'does not allow it).',
                                             'ru': 'Общее для всего рабочего стола сочетание '
                                                   'клавиш «Скриншот сейчас» в любой момент (в '
                                                   'текущее обращение или в новое), пока работает '
                                                   'значок Flare, например <ctrl>+<shift>+<f7>; '
                                                   'пусто = нет. Должно отличаться от '
                                                   'capture.hotkey. Только X11 (Wayland этого не '
                                                   'позволяет).',
                                             'uk': 'Спільне для всього робочого столу сполучення '
                                                   'клавіш «Знімок екрана зараз» будь-коли (у '
                                                   'поточне звернення або в нове), поки працює '
                                                   'значок Flare, наприклад <ctrl>+<shift>+<f7>; '
                                                   'порожньо = немає. Має відрізнятися від '
                                                   'capture.hotkey. Лише X11 (Wayland цього не '
                                                   'дозволяє).'}},
                            {'key': 'capture.click_capture',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'While recording steps, take a step at every '
                                                   'mouse click outside Flare (and when typing '
                                                   'starts), described from the accessibility '
                                                   'tree. X11 only; Wayland does not allow it.',
                                             'ru': 'При записи шагов снимать шаг при каждом щелчке '
                                                   'мыши вне Flare (и когда начинается ввод '
                                                   'текста), с описанием из дерева специальных '
                                                   'возможностей. Только X11; Wayland этого не '
                                                   'позволяет.',
                                             'uk': 'Під час запису кроків знімати крок за кожного '
                                                   'клацання миші поза Flare (і коли починається '
                                                   'введення тексту), з описом із дерева '
                                                   'спеціальних можливостей. Лише X11; Wayland '
                                                   'цього не дозволяє.'}},
                            {'key': 'capture.replay_enabled',
                             'type': 'bool',
                             'default': False,
                             'user': True,
                             'description': {'en': 'Keep the last minute of the screen in memory '
                                                   'so it can be attached (instant replay).',
                                             'ru': 'Хранить в памяти последнюю минуту экрана, '
                                                   'чтобы её можно было приложить (мгновенный '
                                                   'повтор).',
                                             'uk': "Зберігати в пам'яті останню хвилину екрана, "
                                                   'щоб її можна було додати (миттєвий повтор).'}},
                            {'key': 'capture.replay_seconds',
                             'type': 'int',
                             'min': 10,
                             'max': 600,
                             'default': 60,
                             'user': True,
                             'description': {'en': 'Length of the instant replay, in seconds.',
                                             'ru': 'Длительность мгновенного повтора, в секундах.',
                                             'uk': 'Тривалість миттєвого повтору, у секундах.'}},
                            {'key': 'capture.replay_interval_s',
                             'type': 'float',
                             'min': 0.2,
                             'max': 10.0,
                             'default': 1.0,
                             'user': True,
                             'description': {'en': 'Time between two instant-replay frames, in '
                                                   'seconds.',
                                             'ru': 'Интервал между кадрами мгновенного повтора, в '
                                                   'секундах.',
                                             'uk': 'Інтервал між кадрами миттєвого повтору, у '
                                                   'секундах.'}},
                            {'key': 'diagnostics.enabled',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'Collect system diagnostics with each report.',
                                             'ru': 'Собирать диагностику системы с каждым отчётом.',
                                             'uk': 'Збирати діагностику системи з кожним звітом.'}},
                            {'key': 'diagnostics.budget_s',
                             'type': 'float',
                             'min': 0.5,
                             'max': 120.0,
                             'default': 5.0,
                             'user': True,
                             'description': {'en': 'Time all diagnostics together may take, in '
                                                   'seconds.',
                                             'ru': 'Сколько времени может занять вся диагностика, '
                                                   'в секундах.',
                                             'uk': 'Скільки часу може тривати вся діагностика, у '
                                                   'секундах.'}},
                            {'key': 'diagnostics.disabled_collectors',
                             'type': 'str_list',
                             'default': [],
                             'user': True,
                             'description': {'en': 'Names of built-in collectors that must not '
                                                   'run.',
                                             'ru': 'Имена встроенных сборщиков, которые не должны '
                                                   'запускаться.',
                                             'uk': 'Імена вбудованих збирачів, які не повинні '
                                                   'запускатися.'}},
                            {'key': 'diagnostics.restart_after_days',
                             'type': 'int',
                             'min': 0,
                             'max': 365,
                             'default': 7,
                             'user': True,
                             'description': {'en': 'Ask "have you restarted?" when the computer '
                                                   'has run longer than this many days; 0 never.',
                                             'ru': 'Спрашивать «вы перезагружали?», если компьютер '
                                                   'работает дольше стольких дней; 0 — никогда.',
                                             'uk': "Питати «ви перезавантажували?», якщо комп'ютер "
                                                   'працює довше стількох днів; 0 — ніколи.'}},
                            {'key': 'diagnostics.low_disk_percent',
                             'type': 'int',
                             'min': 0,
                             'max': 100,
                             'default': 10,
                             'user': True,
                             'description': {'en': 'Report a disk as nearly full below this '
                                                   'percentage of free space.',
                                             'ru': 'Считать диск почти заполненным, если свободно '
                                                   'меньше стольких процентов.',
                                             'uk': 'Вважати диск майже заповненим, якщо вільно '
                                                   'менше стількох відсотків.'}},
                            {'key': 'diagnostics.checks',
                             'type': 'object_list',
                             'items': 'check',
                             'default': [],
                             'user': False,
                             'description': {'en': 'Connectivity checks (DNS, TCP, HTTP, TLS) run '
                                                   'with the diagnostics.',
                                             'ru': 'Проверки связи (DNS, TCP, HTTP, TLS), '
                                                   'выполняемые при диагностике.',
                                             'uk': "Перевірки зв'язку (DNS, TCP, HTTP, TLS), що "
                                                   'виконуються під час діагностики.'}},
                            {'key': 'diagnostics.custom',
                             'type': 'object_list',
                             'items': 'collector',
                             'default': [],
                             'user': False,
                             'description': {'en': 'Custom collectors (file tail, allowed command, '
                                                   'registry value) run with the diagnostics.',
                                             'ru': 'Дополнительные сборщики (конец файла, '
                                                   'разрешённая команда, значение реестра).',
                                             'uk': 'Додаткові збирачі (кінець файлу, дозволена '
                                                   'команда, значення реєстру).'}},
                            {'key': 'diagnostics.applications',
                             'type': 'str_list',
                             'default': [],
                             'user': True,
                             'description': {'en': 'Applications whose version and state are '
                                                   'collected.',
                                             'ru': 'Приложения, чьи версии и состояние собираются.',
                                             'uk': 'Застосунки, чиї версії та стан збираються.'}},
                            {'key': 'diagnostics.redact',
                             'type': 'str_list',
                             'values': ['email', 'ip', 'mac', 'hostname', 'username'],
                             'default': [],
                             'user': True,
                             'description': {'en': 'Kinds of personal data removed from '
                                                   'diagnostics and logs before review.',
                                             'ru': 'Виды личных данных, удаляемых из диагностики и '
                                                   'журналов перед просмотром.',
                                             'uk': 'Види особистих даних, що видаляються з '
                                                   'діагностики та журналів перед переглядом.'}},
                            {'key': 'diagnostics.time_source',
                             'type': 'str',
                             'default': '',
                             'user': True,
                             'description': {'en': 'Host whose clock is compared with this '
                                                   "computer's (NTP); empty skips the check.",
                                             'ru': 'Узел, с часами которого сравниваются часы '
                                                   'компьютера (NTP); пусто — не проверять.',
                                             'uk': 'Вузол, з годинником якого порівнюється '
                                                   "годинник комп'ютера (NTP); порожньо — не "
                                                   'перевіряти.'}},
                            {'key': 'diagnostics.log_minutes',
                             'type': 'int',
                             'min': 0,
                             'max': 1440,
                             'default': 30,
                             'user': True,
                             'description': {'en': 'How many minutes of system logs before the '
                                                   'report are collected; 0 none.',
                                             'ru': 'За сколько минут до отчёта собираются '
                                                   'системные журналы; 0 — не собирать.',
                                             'uk': 'За скільки хвилин до звіту збираються системні '
                                                   'журнали; 0 — не збирати.'}},
                            {'key': 'crashes.offer',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'When an application crashes (as '
                                                   'systemd-coredump, the Windows Application log '
                                                   'or macOS DiagnosticReports record it), offer a '
                                                   'report with the crash facts attached, through '
                                                   'a notification. A program that crashes again '
                                                   'and again is offered once.',
                                             'ru': 'Когда программа аварийно завершается (по '
                                                   'записям systemd-coredump, журнала «Приложение» '
                                                   'Windows или DiagnosticReports в macOS), '
                                                   'предлагать уведомлением создать обращение со '
                                                   'сведениями о сбое. Если программа падает снова '
                                                   'и снова, обращение предлагается один раз.',
                                             'uk': 'Коли програма аварійно завершується (за '
                                                   'записами systemd-coredump, журналу '
                                                   '«Застосунок» Windows або DiagnosticReports у '
                                                   'macOS), пропонувати сповіщенням створити '
                                                   'звернення з відомостями про збій. Якщо '
                                                   'програма падає знову й знову, звернення '
                                                   'пропонується один раз.'}},
                            {'key': 'form.file',
                             'type': 'path',
                             'default': '',
                             'user': False,
                             'description': {'en': 'Problem form definition (YAML); empty uses the '
                                                   'built-in form.',
                                             'ru': 'Описание формы (YAML); пусто — встроенная '
                                                   'форма.',
                                             'uk': 'Опис форми (YAML); порожньо — вбудована '
                                                   'форма.'}},
                            {'key': 'form.min_quality',
                             'type': 'int',
                             'min': 0,
                             'max': 100,
                             'default': 60,
                             'user': False,
                             'description': {'en': 'Lowest report quality score (0–100) accepted '
                                                   'for sending.',
                                             'ru': 'Наименьшая оценка качества отчёта (0–100), при '
                                                   'которой его можно отправить.',
                                             'uk': 'Найменша оцінка якості звіту (0–100), за якої '
                                                   'його можна надіслати.'}},
                            {'key': 'form.allow_attachments',
                             'type': 'bool',
                             'default': True,
                             'user': False,
                             'description': {'en': 'Whether users may attach their own files.',
                                             'ru': 'Могут ли пользователи прикладывать свои файлы.',
                                             'uk': 'Чи можуть користувачі додавати власні файли.'}},
                            {'key': 'incidents.feeds',
                             'type': 'object_list',
                             'items': 'feed',
                             'default': [{'type': 'helpdesk', 'name': 'Helpdesk'}],
                             'user': False,
                             'description': {'en': 'Where known incidents come from (the helpdesk, '
                                                   'Statuspage-format status pages, RSS or Atom '
                                                   'feeds, a JSON file); all are shown.',
                                             'ru': 'Откуда берутся известные инциденты (служба '
                                                   'поддержки, страницы статуса в формате '
                                                   'Statuspage, ленты RSS или Atom, файл JSON); '
                                                   'показываются все.',
                                             'uk': 'Звідки беруться відомі інциденти (служба '
                                                   'підтримки, сторінки стану у форматі '
                                                   'Statuspage, стрічки RSS або Atom, файл JSON); '
                                                   'показуються всі.'}},
                            {'key': 'incidents.affected_delivery',
                             'type': 'enum',
                             'values': ['comment', 'linked_ticket'],
                             'default': 'comment',
                             'user': False,
                             'description': {'en': 'How "I\'m affected too" reaches a helpdesk '
                                                   'incident; comment adds a short comment to the '
                                                   'incident ticket, linked_ticket opens a short '
                                                   'ticket linked to it.',
                                             'ru': 'Как «Меня это тоже касается» попадает в '
                                                   'инцидент службы поддержки; comment добавляет '
                                                   'короткий комментарий к заявке инцидента, '
                                                   'linked_ticket открывает короткую заявку, '
                                                   'связанную с ней.',
                                             'uk': 'Як «Мене це теж стосується» потрапляє до '
                                                   'інциденту служби підтримки; comment додає '
                                                   'короткий коментар до заявки інциденту, '
                                                   'linked_ticket відкриває коротку заявку, '
                                                   "пов'язану з нею."}},
                            {'key': 'incidents.follow_minutes',
                             'type': 'int',
                             'min': 5,
                             'max': 1440,
                             'default': 45,
                             'user': False,
                             'description': {'en': 'How often Flare checks a known problem the '
                                                   'person said affects them, in minutes (each '
                                                   'laptop at a random point within ±25 %); 45 '
                                                   'keeps 5,000 laptops under 2 requests a second '
                                                   'at the helpdesk.',
                                             'ru': 'Как часто Flare проверяет известную проблему, '
                                                   'которая касается человека, в минутах (каждый '
                                                   'компьютер в случайный момент в пределах ±25 '
                                                   '%); при 45 пять тысяч компьютеров дают службе '
                                                   'поддержки меньше 2 запросов в секунду.',
                                             'uk': 'Як часто Flare перевіряє відому проблему, яка '
                                                   "стосується людини, у хвилинах (кожен комп'ютер "
                                                   'у випадковий момент у межах ±25 %); при 45 '
                                                   "п'ять тисяч комп'ютерів дають службі підтримки "
                                                   'менше 2 запитів на секунду.'}},
                            {'key': 'tray.show_incidents',
                             'type': 'bool',
                             'default': True,
                             'user': True,
                             'description': {'en': 'Show known incidents from the helpdesk in the '
                                                   'tray menu.',
                                             'ru': 'Показывать известные инциденты из системы '
                                                   'поддержки в меню значка.',
                                             'uk': 'Показувати відомі інциденти з системи '
                                                   'підтримки в меню значка.'}},
                            {'key': 'support.language',
                             'type': 'enum',
                             'values': ['reporter', 'en', 'ru', 'uk'],
                             'default': 'reporter',
                             'user': False,
                             'description': {'en': 'Language support reads; the ticket text and '
                                                   'report.html are written in it ("reporter" = '
                                                   "the person's own language).",
                                             'ru': 'Язык, на котором читает поддержка; на нём '
                                                   'пишутся текст заявки и report.html («reporter» '
                                                   '— язык самого сотрудника).',
                                             'uk': 'Мова, якою читає підтримка; нею пишуться текст '
                                                   'заявки і report.html («reporter» — мова самого '
                                                   'працівника).'}}]}
